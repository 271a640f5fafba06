import { describe, expect, it } from 'vitest';
import { inMemoryInventory } from '../../../test/support/in-memory/inventory.repositories.js';
import { ConflictError } from '../../platform/errors.js';
import { newId } from '../../platform/ids.js';
import { InventoryEventTypes } from '../contract.js';
import { ConfirmReservation } from './confirm-reservation.use-case.js';
import { ReleaseReservation } from './release-reservation.use-case.js';
import { ReserveStock } from './reserve-stock.use-case.js';
import { ShipReservation } from './ship-reservation.use-case.js';

const setup = async () => {
  const inv = inMemoryInventory();
  await inv.stockUp('SKU-A', { FRA: 5 });
  await inv.stockUp('SKU-B', { DUB: 4 });
  const fra = await inv.warehouse('FRA');
  const dub = await inv.warehouse('DUB');
  const orderId = newId();
  await new ReserveStock(inv.deps, inv.warehouses, inv.background).execute(orderId, [
    { sku: 'SKU-A', quantity: 2 },
    { sku: 'SKU-B', quantity: 1 },
  ]);
  await new ConfirmReservation(inv.deps).execute(orderId);
  inv.uow.events.length = 0;
  inv.store.ledger.length = 0;
  return { ...inv, fra, dub, orderId, ship: new ShipReservation(inv.deps) };
};

describe('ShipReservation', () => {
  it("takes the order's units in the dispatched warehouse off both on hand and reserved, with a shipment movement and StockAdjusted", async () => {
    const { ship, orderId, fra, dub, store, uow } = await setup();

    const shipped = await ship.execute(orderId, fra.id);

    expect(shipped).toEqual([{ sku: 'SKU-A', warehouseId: fra.id, quantity: 2 }]);
    expect(store.level('SKU-A', fra.id)).toEqual({ onHand: 3, reserved: 0 });
    expect(store.level('SKU-B', dub.id)).toEqual({ onHand: 4, reserved: 1 });
    expect(
      store.ledger.map((m) => [m.kind, m.sku, m.delta, m.reservedDelta, m.onHandAfter, m.reason]),
    ).toEqual([['shipment', 'SKU-A', -2, -2, 3, 'shipment']]);
    expect(uow.eventTypes()).toEqual([InventoryEventTypes.StockAdjusted]);
    expect(uow.events[0]?.data).toEqual({
      sku: 'SKU-A',
      warehouseId: fra.id,
      delta: -2,
      onHand: 3,
      reason: 'shipment',
    });
  });

  it('a partial shipment leaves the reservation as it was; the last warehouse shipped makes it `shipped`', async () => {
    const { ship, orderId, fra, dub, store } = await setup();
    await ship.execute(orderId, fra.id);
    expect(store.reservations.get(orderId)?.status).toBe('confirmed');

    await ship.execute(orderId, dub.id);
    expect(store.reservations.get(orderId)?.status).toBe('shipped');
  });

  it('is idempotent: a redelivered dispatch ships nothing more and writes nothing', async () => {
    const { ship, orderId, fra, store, uow } = await setup();
    await ship.execute(orderId, fra.id);

    expect(await ship.execute(orderId, fra.id)).toEqual([]);
    expect(store.level('SKU-A', fra.id)).toEqual({ onHand: 3, reserved: 0 });
    expect(store.ledger).toHaveLength(1);
    expect(uow.events).toHaveLength(1);
  });

  it('ships a reservation that was never confirmed as well (reserved → shipped)', async () => {
    const inv = inMemoryInventory();
    await inv.stockUp('SKU-A', { FRA: 1 });
    const fra = await inv.warehouse('FRA');
    const orderId = newId();
    await new ReserveStock(inv.deps, inv.warehouses, inv.background).execute(orderId, [
      { sku: 'SKU-A', quantity: 1 },
    ]);

    await new ShipReservation(inv.deps).execute(orderId, fra.id);

    expect(inv.store.reservations.get(orderId)?.status).toBe('shipped');
    expect(inv.store.level('SKU-A', fra.id)).toEqual({ onHand: 0, reserved: 0 });
  });

  it('refuses with 409 an order that holds no reservation, or whose reservation was released, writing nothing', async () => {
    const { ship, orderId, fra, deps, store } = await setup();
    await expect(ship.execute(newId(), fra.id)).rejects.toBeInstanceOf(ConflictError);
    await new ReleaseReservation(deps).execute(orderId, 'cancelled');
    const ledger = store.ledger.length;

    await expect(ship.execute(orderId, fra.id)).rejects.toBeInstanceOf(ConflictError);
    expect(store.level('SKU-A', fra.id)).toEqual({ onHand: 5, reserved: 0 });
    expect(store.ledger).toHaveLength(ledger);
  });

  it('ships nothing from a warehouse the order has no units in', async () => {
    const { ship, orderId, store } = await setup();
    expect(await ship.execute(orderId, newId())).toEqual([]);
    expect(store.ledger).toEqual([]);
  });
});
