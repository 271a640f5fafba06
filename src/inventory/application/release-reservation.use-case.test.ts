import { describe, expect, it } from 'vitest';
import { inMemoryInventory } from '../../../test/support/in-memory/inventory.repositories.js';
import { newId } from '../../platform/ids.js';
import { InventoryEventTypes } from '../contract.js';
import { ReleaseReservation } from './release-reservation.use-case.js';
import { ReserveStock } from './reserve-stock.use-case.js';
import { ShipReservation } from './ship-reservation.use-case.js';

const setup = async () => {
  const inv = inMemoryInventory();
  const reserve = new ReserveStock(inv.deps, inv.warehouses, inv.background);
  await inv.stockUp('SKU-A', { FRA: 5 });
  await inv.stockUp('SKU-B', { DUB: 4 });
  const fra = await inv.warehouse('FRA');
  const dub = await inv.warehouse('DUB');
  const orderId = newId();
  await reserve.execute(orderId, [
    { sku: 'SKU-A', quantity: 2 },
    { sku: 'SKU-B', quantity: 1 },
  ]);
  inv.uow.events.length = 0;
  inv.store.ledger.length = 0;
  return { ...inv, fra, dub, orderId, release: new ReleaseReservation(inv.deps) };
};

describe('ReleaseReservation', () => {
  it('returns the stock the order held, with a release movement per line and InventoryReleased carrying the reason', async () => {
    const { release, orderId, store, fra, dub, uow } = await setup();

    const lines = await release.execute(orderId, '  cancelled  ');

    expect(lines).toEqual([
      { sku: 'SKU-A', warehouseId: fra.id, quantity: 2 },
      { sku: 'SKU-B', warehouseId: dub.id, quantity: 1 },
    ]);
    expect(store.level('SKU-A', fra.id)).toEqual({ onHand: 5, reserved: 0 });
    expect(store.level('SKU-B', dub.id)).toEqual({ onHand: 4, reserved: 0 });
    expect(store.ledger.map((m) => [m.kind, m.sku, m.delta, m.reservedDelta, m.reason, m.actor])).toEqual([
      ['release', 'SKU-A', 0, -2, 'cancelled', 'system'],
      ['release', 'SKU-B', 0, -1, 'cancelled', 'system'],
    ]);
    expect(store.reservations.get(orderId)).toMatchObject({ status: 'released', releaseReason: 'cancelled' });
    expect(uow.eventTypes()).toEqual([InventoryEventTypes.InventoryReleased]);
    expect(uow.events[0]?.data).toEqual({ orderId, lines, reason: 'cancelled' });
  });

  it('is idempotent: releasing a released reservation gives back nothing and writes nothing', async () => {
    const { release, orderId, store, uow } = await setup();
    await release.execute(orderId, 'cancelled');

    expect(await release.execute(orderId, 'cancelled')).toEqual([]);
    expect(store.ledger).toHaveLength(2);
    expect(uow.eventTypes()).toEqual([InventoryEventTypes.InventoryReleased]);
  });

  it('says `released` when no reason is given', async () => {
    const { release, orderId, store } = await setup();
    await release.execute(orderId, '   ');
    expect(store.reservations.get(orderId)?.releaseReason).toBe('released');
  });

  it('gives back nothing for an order that holds no reservation, or whose id is not a UUID', async () => {
    const { release, uow } = await setup();
    expect(await release.execute(newId(), 'cancelled')).toEqual([]);
    expect(await release.execute('not-a-uuid', 'cancelled')).toEqual([]);
    expect(uow.events).toEqual([]);
  });

  it('never gives back what left with a shipment: only the unshipped lines are released', async () => {
    const inv = await setup();
    const { release, orderId, store, fra, dub } = inv;
    await new ShipReservation(inv.deps).execute(orderId, dub.id);

    const lines = await release.execute(orderId, 'cancelled');

    expect(lines).toEqual([{ sku: 'SKU-A', warehouseId: fra.id, quantity: 2 }]);
    expect(store.level('SKU-B', dub.id)).toEqual({ onHand: 3, reserved: 0 });
    expect(store.level('SKU-A', fra.id)).toEqual({ onHand: 5, reserved: 0 });
  });

  it('releases nothing of a fully shipped reservation', async () => {
    const inv = await setup();
    const ship = new ShipReservation(inv.deps);
    await ship.execute(inv.orderId, inv.fra.id);
    await ship.execute(inv.orderId, inv.dub.id);

    expect(await inv.release.execute(inv.orderId, 'cancelled')).toEqual([]);
    expect(inv.store.reservations.get(inv.orderId)?.status).toBe('shipped');
  });
});
