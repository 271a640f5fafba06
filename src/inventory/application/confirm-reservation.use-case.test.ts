import { describe, expect, it } from 'vitest';
import { inMemoryInventory } from '../../../test/support/in-memory/inventory.repositories.js';
import { newId } from '../../platform/ids.js';
import { ConfirmReservation } from './confirm-reservation.use-case.js';
import { ReleaseExpiredReservations } from './release-expired-reservations.use-case.js';
import { ReleaseReservation } from './release-reservation.use-case.js';
import { ReserveStock } from './reserve-stock.use-case.js';

const setup = async () => {
  const inv = inMemoryInventory({ reservationTtlSeconds: 60 });
  await inv.stockUp('SKU-A', { FRA: 5 });
  const orderId = newId();
  await new ReserveStock(inv.deps, inv.warehouses, inv.background).execute(orderId, [
    { sku: 'SKU-A', quantity: 2 },
  ]);
  return { ...inv, orderId, confirm: new ConfirmReservation(inv.deps) };
};

describe('ConfirmReservation', () => {
  it('moves a reserved reservation to confirmed', async () => {
    const { confirm, orderId, store } = await setup();
    expect(await confirm.execute(orderId)).toBe(true);
    expect(store.reservations.get(orderId)?.status).toBe('confirmed');
  });

  it('a confirmed reservation no longer expires: the sweep leaves it and its stock held', async () => {
    const { confirm, orderId, store, clock, deps, warehouse } = await setup();
    await confirm.execute(orderId);
    clock.advance(3_600_000);

    expect(await new ReleaseExpiredReservations(deps).execute()).toEqual([]);
    expect(store.reservations.get(orderId)?.status).toBe('confirmed');
    expect(store.level('SKU-A', (await warehouse('FRA')).id).reserved).toBe(2);
  });

  it('confirming twice is no change and still true', async () => {
    const { confirm, orderId, store } = await setup();
    await confirm.execute(orderId);
    expect(await confirm.execute(orderId)).toBe(true);
    expect(store.reservations.get(orderId)?.status).toBe('confirmed');
  });

  it('is false for an order that holds nothing: none, a released reservation, a bad id', async () => {
    const { confirm, orderId, deps, store } = await setup();
    expect(await confirm.execute(newId())).toBe(false);
    expect(await confirm.execute('nope')).toBe(false);
    await new ReleaseReservation(deps).execute(orderId, 'cancelled');
    expect(await confirm.execute(orderId)).toBe(false);
    expect(store.reservations.get(orderId)?.status).toBe('released');
  });
});
