import { describe, expect, it } from 'vitest';
import { inMemoryInventory } from '../../../test/support/in-memory/inventory.repositories.js';
import { newId } from '../../platform/ids.js';
import { InventoryEventTypes } from '../contract.js';
import { ReleaseExpiredReservations } from './release-expired-reservations.use-case.js';
import { ReserveStock } from './reserve-stock.use-case.js';

const setup = async () => {
  const inv = inMemoryInventory({ reservationTtlSeconds: 60 });
  await inv.stockUp('SKU-A', { FRA: 10 });
  const fra = await inv.warehouse('FRA');
  const reserve = new ReserveStock(inv.deps, inv.warehouses, inv.background);
  return { ...inv, fra, reserve, sweep: new ReleaseExpiredReservations(inv.deps) };
};

describe('ReleaseExpiredReservations', () => {
  it('releases a reservation once its time ran out, with reason `expired`, giving its units back', async () => {
    const { reserve, sweep, clock, store, fra, uow } = await setup();
    const orderId = newId();
    await reserve.execute(orderId, [{ sku: 'SKU-A', quantity: 3 }]);
    clock.advance(60_000);

    const released = await sweep.execute();

    expect(released).toEqual([{ orderId, lines: [{ sku: 'SKU-A', warehouseId: fra.id, quantity: 3 }] }]);
    expect(store.level('SKU-A', fra.id)).toEqual({ onHand: 10, reserved: 0 });
    expect(store.reservations.get(orderId)).toMatchObject({ status: 'released', releaseReason: 'expired' });
    expect(uow.eventTypes()).toEqual([
      InventoryEventTypes.InventoryReserved,
      InventoryEventTypes.InventoryReleased,
    ]);
    expect(uow.events[1]?.data).toMatchObject({ orderId, reason: 'expired' });
    expect(store.ledger.at(-1)).toMatchObject({ kind: 'release', reason: 'expired', reservedDelta: -3 });
  });

  it('leaves a reservation whose time has not run out', async () => {
    const { reserve, sweep, clock, store } = await setup();
    const orderId = newId();
    await reserve.execute(orderId, [{ sku: 'SKU-A', quantity: 3 }]);
    clock.advance(59_999);

    expect(await sweep.execute()).toEqual([]);
    expect(store.reservations.get(orderId)?.status).toBe('reserved');
  });

  it('releases at most `limit` per call, oldest first', async () => {
    const { reserve, sweep, clock } = await setup();
    const first = newId();
    const second = newId();
    await reserve.execute(first, [{ sku: 'SKU-A', quantity: 1 }]);
    clock.advance(1_000);
    await reserve.execute(second, [{ sku: 'SKU-A', quantity: 1 }]);
    clock.advance(120_000);

    expect((await sweep.execute(1)).map((r) => r.orderId)).toEqual([first]);
    expect((await sweep.execute(1)).map((r) => r.orderId)).toEqual([second]);
    expect(await sweep.execute(1)).toEqual([]);
  });
});
