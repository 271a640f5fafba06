import { describe, expect, it } from 'vitest';
import { inMemoryInventory } from '../../../test/support/in-memory/inventory.repositories.js';
import type { TransactionHandle } from '../../platform/db/unit-of-work.js';
import { ValidationError } from '../../platform/errors.js';
import { newId } from '../../platform/ids.js';
import { InventoryEventTypes } from '../contract.js';
import { ReleaseReservation } from './release-reservation.use-case.js';
import { ReserveStock } from './reserve-stock.use-case.js';
import type { StockAllocation } from './stock-allocation.port.js';

const CALLER_TX = {} as TransactionHandle;

const setup = (opts: Parameters<typeof inMemoryInventory>[0] = {}) => {
  const inv = inMemoryInventory(opts);
  return { ...inv, reserve: new ReserveStock(inv.deps, inv.warehouses, inv.background) };
};

describe('ReserveStock', () => {
  it('reserves every line from the stock available, with a reservation movement per line and InventoryReserved', async () => {
    const { reserve, stockUp, warehouse, store, uow, clock } = setup();
    await stockUp('SKU-A', { FRA: 5 });
    await stockUp('SKU-B', { FRA: 2 });
    const fra = await warehouse('FRA');
    const orderId = newId();

    const result = await reserve.execute(orderId, [
      { sku: 'SKU-B', quantity: 2 },
      { sku: 'SKU-A', quantity: 3 },
    ]);

    expect(result).toEqual({
      ok: true,
      orderId,
      lines: [
        { sku: 'SKU-A', warehouseId: fra.id, quantity: 3 },
        { sku: 'SKU-B', warehouseId: fra.id, quantity: 2 },
      ],
      expiresAt: new Date(clock.now().getTime() + 900_000),
    });
    expect(store.level('SKU-A', fra.id)).toEqual({ onHand: 5, reserved: 3 });
    expect(store.level('SKU-B', fra.id)).toEqual({ onHand: 2, reserved: 2 });
    expect(store.reservations.get(orderId)?.status).toBe('reserved');
    expect(
      store.ledger.map((m) => [m.kind, m.sku, m.delta, m.reservedDelta, m.reservedAfter, m.reason]),
    ).toEqual([
      ['reservation', 'SKU-A', 0, 3, 3, 'reserved'],
      ['reservation', 'SKU-B', 0, 2, 2, 'reserved'],
    ]);
    expect(uow.eventTypes()).toEqual([InventoryEventTypes.InventoryReserved]);
    expect(uow.events[0]?.data).toMatchObject({ orderId, lines: result.ok ? result.lines : [] });
  });

  it('never oversells: a reservation beyond what is available is refused whole with the short SKUs, and nothing is reserved', async () => {
    const { reserve, stockUp, warehouse, store, uow } = setup();
    await stockUp('SKU-A', { FRA: 5 });
    await stockUp('SKU-B', { FRA: 1, DUB: 1 });
    const orderId = newId();

    const result = await reserve.execute(orderId, [
      { sku: 'SKU-A', quantity: 1 },
      { sku: 'SKU-B', quantity: 3 },
    ]);

    expect(result).toEqual({ ok: false, orderId, shortSkus: ['SKU-B'] });
    expect(store.level('SKU-A', (await warehouse('FRA')).id)).toEqual({ onHand: 5, reserved: 0 });
    expect(store.reservations.size).toBe(0);
    expect(store.ledger).toEqual([]);
    expect(uow.eventTypes()).toEqual([InventoryEventTypes.InventoryReservationFailed]);
    expect(uow.events[0]?.data).toEqual({ orderId, shortSkus: ['SKU-B'] });
  });

  it('counts only what is not reserved yet: units another order holds cannot be promised again', async () => {
    const { reserve, stockUp } = setup();
    await stockUp('SKU-A', { FRA: 3 });
    expect((await reserve.execute(newId(), [{ sku: 'SKU-A', quantity: 2 }])).ok).toBe(true);

    const second = await reserve.execute(newId(), [{ sku: 'SKU-A', quantity: 2 }]);

    expect(second.ok).toBe(false);
    expect((await reserve.execute(newId(), [{ sku: 'SKU-A', quantity: 1 }])).ok).toBe(true);
  });

  it('splits an order over warehouses when no single one holds it, summing duplicate SKUs', async () => {
    const { reserve, stockUp, warehouse, store } = setup();
    await stockUp('SKU-A', { FRA: 2, DUB: 2 });
    const [fra, dub] = [await warehouse('FRA'), await warehouse('DUB')];

    const result = await reserve.execute(newId(), [
      { sku: 'SKU-A', quantity: 1 },
      { sku: 'SKU-A', quantity: 2 },
    ]);

    expect(result.ok && result.lines.reduce((s, l) => s + l.quantity, 0)).toBe(3);
    expect(store.level('SKU-A', fra.id).reserved + store.level('SKU-A', dub.id).reserved).toBe(3);
  });

  it('is idempotent per order: a second reserve returns the reservation it holds and writes nothing', async () => {
    const { reserve, stockUp, store, uow, clock } = setup();
    await stockUp('SKU-A', { FRA: 5 });
    const orderId = newId();
    const first = await reserve.execute(orderId, [{ sku: 'SKU-A', quantity: 2 }]);
    clock.advance(60_000);

    const again = await reserve.execute(orderId, [{ sku: 'SKU-A', quantity: 4 }]);

    expect(again).toEqual(first);
    expect(store.ledger).toHaveLength(1);
    expect(uow.eventTypes()).toEqual([InventoryEventTypes.InventoryReserved]);
  });

  it('reserves afresh, with a new expiry, an order whose reservation was released (released → reserved)', async () => {
    const inv = setup();
    const { reserve, stockUp, warehouse, store, clock } = inv;
    const release = new ReleaseReservation(inv.deps);
    await stockUp('SKU-A', { FRA: 5 });
    const fra = await warehouse('FRA');
    const orderId = newId();
    await reserve.execute(orderId, [{ sku: 'SKU-A', quantity: 2 }]);
    await release.execute(orderId, 'cancelled');
    clock.advance(60_000);

    const again = await reserve.execute(orderId, [{ sku: 'SKU-A', quantity: 1 }]);

    expect(again).toMatchObject({ ok: true, lines: [{ sku: 'SKU-A', warehouseId: fra.id, quantity: 1 }] });
    expect(again.ok && again.expiresAt).toEqual(new Date(clock.now().getTime() + 900_000));
    expect(store.reservations.get(orderId)).toMatchObject({ status: 'reserved', releaseReason: null });
    expect(store.lines.filter((l) => l.orderId === orderId)).toHaveLength(1);
    expect(store.level('SKU-A', fra.id)).toEqual({ onHand: 5, reserved: 1 });
  });

  it("inside the caller's transaction, writes the failure event afterwards in a transaction of its own (the caller rolls back)", async () => {
    const { reserve, uow, background } = setup();
    const orderId = newId();

    const result = await reserve.execute(orderId, [{ sku: 'SKU-A', quantity: 1 }], CALLER_TX);

    expect(result.ok).toBe(false);
    const committedBefore = uow.commits;
    await background.drain();
    expect(uow.commits).toBe(committedBefore + 1);
    expect(uow.eventTypes()).toEqual([InventoryEventTypes.InventoryReservationFailed]);
  });

  it('refuses an order id that is not a UUID and invalid lines with 400', async () => {
    const { reserve } = setup();
    await expect(reserve.execute('nope', [{ sku: 'SKU-A', quantity: 1 }])).rejects.toBeInstanceOf(
      ValidationError,
    );
    await expect(reserve.execute(newId(), [])).rejects.toBeInstanceOf(ValidationError);
    await expect(reserve.execute(newId(), [{ sku: 'SKU-A', quantity: 0 }])).rejects.toBeInstanceOf(
      ValidationError,
    );
  });

  it('refuses an allocation policy that promises more than a warehouse has, writing nothing', async () => {
    const greedy: StockAllocation = {
      allocate: ({ lines, warehouses }) =>
        lines.map((l) => ({ sku: l.sku, warehouseId: warehouses[0]?.id ?? '', quantity: l.quantity })),
    };
    const { reserve, stockUp, store } = setup({ allocation: greedy });
    await stockUp('SKU-B', { FRA: 3 }); // the policy takes the first warehouse by code, DUB, which has none

    await expect(reserve.execute(newId(), [{ sku: 'SKU-B', quantity: 2 }])).rejects.toThrow(/over-allocated/);
    expect(store.reservations.size).toBe(0);
  });
});
