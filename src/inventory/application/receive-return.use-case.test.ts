import { describe, expect, it } from 'vitest';
import { inMemoryInventory } from '../../../test/support/in-memory/inventory.repositories.js';
import type { TransactionHandle } from '../../platform/db/unit-of-work.js';
import { NotFoundError, ValidationError } from '../../platform/errors.js';
import { newId } from '../../platform/ids.js';
import { InventoryEventTypes, type ReturnReceipt } from '../contract.js';
import { GetAvailability } from './get-availability.query.js';
import { ReceiveReturn } from './receive-return.use-case.js';
import { ReserveStock } from './reserve-stock.use-case.js';

/** The caller's open transaction (the returns context's receipt), as the in-memory unit of work joins it. */
const callerTx = { caller: true } as unknown as TransactionHandle;

const setup = async (opts: { cache?: boolean } = {}) => {
  const inv = inMemoryInventory(opts);
  const fra = await inv.warehouse('FRA');
  const dub = await inv.warehouse('DUB');
  const receive = new ReceiveReturn(inv.deps, inv.warehouses);
  const receipt = (
    lines: ReturnReceipt['lines'],
    returnId = newId(),
    warehouseId = fra.id,
  ): ReturnReceipt => ({
    returnId,
    warehouseId,
    lines,
  });
  return { ...inv, fra, dub, receive, receipt };
};

describe('ReceiveReturn', () => {
  it('puts resellable units back on hand with a `return` movement naming the return and StockAdjusted', async () => {
    const { receive, receipt, stockUp, store, uow, fra, clock } = await setup();
    await stockUp('SKU-A', { FRA: 5 });
    const input = receipt([{ sku: 'SKU-A', quantity: 2, condition: 'resellable' }]);

    const result = await receive.execute(input, callerTx);

    expect(result).toEqual({ restocked: [{ sku: 'SKU-A', quantity: 2 }], writtenOff: [] });
    expect(store.level('SKU-A', fra.id)).toEqual({ onHand: 7, reserved: 0 });
    expect(store.ledger).toEqual([
      {
        seq: '1',
        id: expect.any(String),
        sku: 'SKU-A',
        warehouseId: fra.id,
        kind: 'return',
        delta: 2,
        reservedDelta: 0,
        reason: 'return',
        actor: 'system',
        orderId: null,
        returnId: input.returnId,
        onHandAfter: 7,
        reservedAfter: 0,
        createdAt: clock.now(),
      },
    ]);
    expect(uow.eventTypes()).toEqual([InventoryEventTypes.StockAdjusted]);
    expect(uow.events[0]?.subject).toBe('SKU-A');
    expect(uow.events[0]?.data).toEqual({
      sku: 'SKU-A',
      warehouseId: fra.id,
      delta: 2,
      onHand: 7,
      reason: 'return',
    });
  });

  it('records damaged units as come back and written off: a `return` then a `write_off`, on hand unchanged, both in the ledger and as StockAdjusted', async () => {
    const { receive, receipt, stockUp, store, uow, fra } = await setup();
    await stockUp('SKU-A', { FRA: 5 });

    const result = await receive.execute(
      receipt([{ sku: 'SKU-A', quantity: 3, condition: 'damaged' }]),
      callerTx,
    );

    expect(result).toEqual({ restocked: [], writtenOff: [{ sku: 'SKU-A', quantity: 3 }] });
    expect(store.level('SKU-A', fra.id)).toEqual({ onHand: 5, reserved: 0 });
    expect(store.ledger.map((m) => [m.kind, m.reason, m.delta, m.onHandAfter])).toEqual([
      ['return', 'return', 3, 8],
      ['write_off', 'write_off', -3, 5],
    ]);
    expect(uow.events.map((e) => [e.type, e.data.reason, e.data.delta, e.data.onHand])).toEqual([
      [InventoryEventTypes.StockAdjusted, 'return', 3, 8],
      [InventoryEventTypes.StockAdjusted, 'write_off', -3, 5],
    ]);
  });

  it('creates the stock row of a SKU the warehouse never held (zero on hand when every unit was damaged)', async () => {
    const { receive, receipt, store, fra, dub } = await setup();

    await receive.execute(
      receipt([
        { sku: 'SKU-NEW', quantity: 4, condition: 'resellable' },
        { sku: 'SKU-BROKEN', quantity: 1, condition: 'damaged' },
      ]),
      callerTx,
    );

    expect(store.stock.get(`SKU-NEW\u0000${fra.id}`)).toEqual({
      sku: 'SKU-NEW',
      warehouseId: fra.id,
      onHand: 4,
      reserved: 0,
    });
    expect(store.stock.get(`SKU-BROKEN\u0000${fra.id}`)).toEqual({
      sku: 'SKU-BROKEN',
      warehouseId: fra.id,
      onHand: 0,
      reserved: 0,
    });
    expect(store.level('SKU-NEW', dub.id)).toEqual({ onHand: 0, reserved: 0 });
  });

  it('sums lines per SKU and condition, handles a SKU in both conditions, and writes in SKU order (the lock order)', async () => {
    const { receive, receipt, store } = await setup();

    const result = await receive.execute(
      receipt([
        { sku: 'SKU-C', quantity: 1, condition: 'resellable' },
        { sku: 'SKU-A', quantity: 1, condition: 'damaged' },
        { sku: 'SKU-A', quantity: 2, condition: 'resellable' },
        { sku: 'SKU-C', quantity: 2, condition: 'resellable' },
        { sku: 'SKU-B', quantity: 0, condition: 'damaged' },
      ]),
      callerTx,
    );

    expect(result).toEqual({
      restocked: [
        { sku: 'SKU-A', quantity: 2 },
        { sku: 'SKU-C', quantity: 3 },
      ],
      writtenOff: [{ sku: 'SKU-A', quantity: 1 }],
    });
    expect(store.ledger.map((m) => [m.sku, m.kind, m.delta, m.onHandAfter])).toEqual([
      ['SKU-A', 'return', 2, 2],
      ['SKU-A', 'return', 1, 3],
      ['SKU-A', 'write_off', -1, 2],
      ['SKU-C', 'return', 3, 3],
    ]);
  });

  it('leaves reserved alone: returned units are available at once', async () => {
    const { receive, receipt, stockUp, store, fra, deps, warehouses, background } = await setup();
    await stockUp('SKU-A', { FRA: 2 });
    await new ReserveStock(deps, warehouses, background).execute(newId(), [{ sku: 'SKU-A', quantity: 2 }]);

    await receive.execute(receipt([{ sku: 'SKU-A', quantity: 1, condition: 'resellable' }]), callerTx);

    expect(store.level('SKU-A', fra.id)).toEqual({ onHand: 3, reserved: 2 });
    expect(store.ledger.at(-1)).toMatchObject({ kind: 'return', reservedDelta: 0, reservedAfter: 2 });
  });

  it('is idempotent per return: a second receipt changes nothing, writes no event and answers what the first recorded', async () => {
    const { receive, receipt, store, uow, fra, dub } = await setup();
    const first = receipt([
      { sku: 'SKU-A', quantity: 2, condition: 'resellable' },
      { sku: 'SKU-A', quantity: 1, condition: 'damaged' },
    ]);
    const recorded = await receive.execute(first, callerTx);
    const ledger = store.ledger.length;
    const events = uow.events.length;

    // the same return again — even with other lines and into another warehouse
    const again = await receive.execute(
      { ...first, warehouseId: dub.id, lines: [{ sku: 'SKU-B', quantity: 9, condition: 'resellable' }] },
      callerTx,
    );

    expect(again).toEqual(recorded);
    expect(again).toEqual({
      restocked: [{ sku: 'SKU-A', quantity: 2 }],
      writtenOff: [{ sku: 'SKU-A', quantity: 1 }],
    });
    expect(store.ledger).toHaveLength(ledger);
    expect(uow.events).toHaveLength(events);
    expect(store.level('SKU-A', fra.id)).toEqual({ onHand: 2, reserved: 0 });
    expect(store.level('SKU-B', dub.id)).toEqual({ onHand: 0, reserved: 0 });
    expect(store.returnReceipts.get(first.returnId)?.warehouseId).toBe(fra.id);
  });

  it('keeps two returns apart: each is received once', async () => {
    const { receive, receipt, store, fra } = await setup();
    await receive.execute(receipt([{ sku: 'SKU-A', quantity: 1, condition: 'resellable' }]), callerTx);
    await receive.execute(receipt([{ sku: 'SKU-A', quantity: 2, condition: 'resellable' }]), callerTx);
    expect(store.level('SKU-A', fra.id)).toEqual({ onHand: 3, reserved: 0 });
  });

  it('refuses a warehouse that is not one of this region’s with 404, writing nothing', async () => {
    const { receive, receipt, store, uow } = await setup();
    const lines = [{ sku: 'SKU-A', quantity: 1, condition: 'resellable' as const }];

    await expect(receive.execute(receipt(lines, newId(), newId()), callerTx)).rejects.toBeInstanceOf(
      NotFoundError,
    );
    await expect(receive.execute(receipt(lines, newId(), 'FRA'), callerTx)).rejects.toBeInstanceOf(
      NotFoundError,
    );
    expect(store.returnReceipts.size).toBe(0);
    expect(store.ledger).toEqual([]);
    expect(uow.events).toEqual([]);
  });

  it('refuses malformed input with 400 naming every offending field, writing nothing', async () => {
    const { receive, receipt, store } = await setup();

    const error = await receive
      .execute(
        receipt([
          { sku: ' bad sku', quantity: 1, condition: 'resellable' },
          { sku: 'SKU-A', quantity: -1, condition: 'resellable' },
          { sku: 'SKU-B', quantity: 1.5, condition: 'damaged' },
          { sku: 'SKU-C', quantity: 1, condition: 'mixed' as 'damaged' },
        ]),
        callerTx,
      )
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).errors?.map((e) => e.path)).toEqual([
      'lines.0.sku',
      'lines.1.quantity',
      'lines.2.quantity',
      'lines.3.condition',
    ]);
    await expect(
      receive.execute({ ...receipt([]), returnId: 'not-a-uuid' }, callerTx),
    ).rejects.toBeInstanceOf(ValidationError);
    expect(store.returnReceipts.size).toBe(0);
  });

  it('drops the browsing availability of restocked SKUs, as every change of available does', async () => {
    const { receive, receipt, stockUp, deps, warehouses } = await setup({ cache: true });
    await stockUp('SKU-A', { FRA: 1 });
    const availability = new GetAvailability(deps, warehouses);
    expect((await availability.execute(['SKU-A'])).get('SKU-A')).toBe(1); // now cached

    await receive.execute(receipt([{ sku: 'SKU-A', quantity: 2, condition: 'resellable' }]), callerTx);

    expect((await availability.execute(['SKU-A'])).get('SKU-A')).toBe(3);
  });
});
