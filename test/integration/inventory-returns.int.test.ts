import type { DataSource } from 'typeorm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  InventoryEventTypes,
  type ReservationResult,
  type ReturnReceipt,
  type ReturnReceiptResult,
} from '../../src/inventory/contract.js';
import {
  createInventoryServices,
  INVENTORY_ENTITIES,
  type InventoryServices,
} from '../../src/inventory/inventory.plugin.js';
import { ManualClock } from '../../src/platform/clock.js';
import { createDataSource } from '../../src/platform/db/data-source.js';
import { asHandle } from '../../src/platform/db/typeorm-unit-of-work.js';
import { NotFoundError } from '../../src/platform/errors.js';
import { newId } from '../../src/platform/ids.js';
import { regionPreset } from '../../src/platform/region/region-presets.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { missing } from '../support/skip.js';

/**
 * Units of a return received into a warehouse (`receiveReturn`, issue 21) against a real Postgres from
 * two connection pools (two app instances), always inside a caller's transaction as the returns
 * context's receipt calls it: the ledger rows and on hand, the events, idempotency per return (also
 * under 20 concurrent receipts of one return), and no deadlock with reservations of the same SKUs.
 */
describe.skipIf(missing('postgres'))('inventory: receiving returns (two app instances, one database)', () => {
  let db: TestDatabase;
  let ds1: DataSource;
  let ds2: DataSource;
  let one: InventoryServices;
  let two: InventoryServices;
  const clock = new ManualClock('2026-03-01T12:00:00Z');
  const eu = regionPreset('eu');
  let seq = 0;
  const sku = (p: string) => `${p}-${Date.now().toString(36)}-${seq++}`.toUpperCase();

  beforeAll(async () => {
    db = await createTestDatabase();
    // callers queue for a connection behind the racing transactions: what is tested is the database's
    // answer (no deadlock, one effect), not how long a busy machine takes to hand out a connection
    const opts = { url: db.url, poolSize: 8, acquireTimeoutMs: 20_000, entities: INVENTORY_ENTITIES };
    ds1 = createDataSource(opts);
    ds2 = createDataSource(opts);
    await Promise.all([ds1.initialize(), ds2.initialize()]);
    one = createInventoryServices({ dataSource: ds1, region: eu, clock });
    two = createInventoryServices({ dataSource: ds2, region: eu, clock });
    await Promise.all([one.warehouses.execute(), two.warehouses.execute()]);
  });
  afterAll(async () => {
    await ds1?.destroy();
    await ds2?.destroy();
    await db?.drop();
  });

  const warehouse = async (code: string) => {
    const w = (await one.warehouses.execute()).find((x) => x.code === code);
    if (!w) throw new Error(`no warehouse ${code}`);
    return w;
  };
  const stock = async (s: string, units: Record<string, number>) => {
    for (const [code, n] of Object.entries(units)) await one.adjustByCode.execute(s, code, n, 'received');
  };
  /** The receipt as the returns context makes it: inside its own open transaction. */
  const receive = (svc: InventoryServices, ds: DataSource, input: ReturnReceipt, hold = 0) =>
    ds.transaction(async (m) => {
      const result = await svc.facade.receiveReturn(input, asHandle(m));
      if (hold > 0) await m.query('SELECT pg_sleep($1)', [hold]);
      return result;
    });
  const onHand = async (s: string, warehouseId: string) => {
    const rows: { on_hand: number; reserved: number }[] = await ds1.query(
      'SELECT on_hand, reserved FROM inventory_stock WHERE sku = $1 AND warehouse_id = $2',
      [s, warehouseId],
    );
    return rows[0] ? { onHand: rows[0].on_hand, reserved: rows[0].reserved } : null;
  };
  const returnLedger = async (returnId: string) =>
    (await ds1.query(
      `SELECT sku, warehouse_id, kind, delta, reserved_delta, reason, actor, order_id, on_hand_after
         FROM inventory_movements WHERE return_id = $1 ORDER BY seq`,
      [returnId],
    )) as {
      sku: string;
      warehouse_id: string;
      kind: string;
      delta: number;
      reserved_delta: number;
      reason: string;
      actor: string;
      order_id: string | null;
      on_hand_after: number;
    }[];
  const stockEvents = async (skus: string[]) =>
    (
      (await ds1.query(
        `SELECT subject, data FROM outbox WHERE type = $1 AND subject = ANY($2::text[])
          ORDER BY occurred_at, subject`,
        [InventoryEventTypes.StockAdjusted, skus],
      )) as { subject: string; data: { delta: number; onHand: number; reason: string } }[]
    ).filter((e) => e.data.reason === 'return' || e.data.reason === 'write_off');

  /** Replaying each stock row's ledger in order gives every row's "after" value and ends at the row. */
  const expectLedgerAddsUp = async (skus: string[]) => {
    const rows: { sku: string; warehouse_id: string; on_hand: number; reserved: number }[] = await ds1.query(
      'SELECT sku, warehouse_id, on_hand, reserved FROM inventory_stock WHERE sku = ANY($1::text[])',
      [skus],
    );
    for (const r of rows) {
      const ledger: {
        delta: number;
        reserved_delta: number;
        on_hand_after: number;
        reserved_after: number;
      }[] = await ds1.query(
        `SELECT delta, reserved_delta, on_hand_after, reserved_after FROM inventory_movements
            WHERE sku = $1 AND warehouse_id = $2 ORDER BY seq`,
        [r.sku, r.warehouse_id],
      );
      let h = 0;
      let res = 0;
      for (const m of ledger) {
        h += m.delta;
        res += m.reserved_delta;
        expect([m.on_hand_after, m.reserved_after]).toEqual([h, res]);
      }
      expect([h, res]).toEqual([r.on_hand, r.reserved]);
    }
  };

  it('puts resellable units back on hand and writes damaged ones off, in the ledger and as StockAdjusted, creating missing stock rows', async () => {
    const fra = await warehouse('FRA');
    const [kept, fresh] = [sku('RET'), sku('RETNEW')];
    await stock(kept, { FRA: 5 });
    const returnId = newId();

    const result = await receive(one, ds1, {
      returnId,
      warehouseId: fra.id,
      lines: [
        { sku: kept, quantity: 2, condition: 'resellable' },
        { sku: kept, quantity: 1, condition: 'damaged' },
        { sku: fresh, quantity: 3, condition: 'damaged' },
      ],
    });

    expect(result).toEqual({
      restocked: [{ sku: kept, quantity: 2 }],
      writtenOff: [
        { sku: kept, quantity: 1 },
        { sku: fresh, quantity: 3 },
      ].sort((a, b) => (a.sku < b.sku ? -1 : 1)),
    });
    expect(await onHand(kept, fra.id)).toEqual({ onHand: 7, reserved: 0 });
    expect(await onHand(fresh, fra.id)).toEqual({ onHand: 0, reserved: 0 }); // the row exists now
    const row = (s: string, kind: string, delta: number, after: number) => ({
      sku: s,
      warehouse_id: fra.id,
      kind,
      delta,
      reserved_delta: 0,
      reason: kind,
      actor: 'system',
      order_id: null,
      on_hand_after: after,
    });
    const expected = [
      [row(kept, 'return', 2, 7), row(kept, 'return', 1, 8), row(kept, 'write_off', -1, 7)],
      [row(fresh, 'return', 3, 3), row(fresh, 'write_off', -3, 0)],
    ];
    // written in SKU order (the lock order)
    expect(await returnLedger(returnId)).toEqual((kept < fresh ? expected : expected.reverse()).flat());
    const events = await stockEvents([kept, fresh]);
    expect(
      events.filter((e) => e.subject === kept).map((e) => [e.data.reason, e.data.delta, e.data.onHand]),
    ).toEqual([
      ['return', 2, 7],
      ['return', 1, 8],
      ['write_off', -1, 7],
    ]);
    expect(events.filter((e) => e.subject === fresh).map((e) => [e.data.reason, e.data.delta])).toEqual([
      ['return', 3],
      ['write_off', -3],
    ]);
    // the staff ledger shows the return behind each movement
    const listed = await one.movements.execute(kept, 3, null);
    expect(listed.items.map((m) => [m.kind, m.returnId])).toEqual([
      ['write_off', returnId],
      ['return', returnId],
      ['return', returnId],
    ]);
    await expectLedgerAddsUp([kept, fresh]);
  });

  it('is idempotent per return: a second receipt (another instance, other lines) changes nothing and answers what the first recorded', async () => {
    const [fra, dub] = [await warehouse('FRA'), await warehouse('DUB')];
    const s = sku('IDEM');
    const input: ReturnReceipt = {
      returnId: newId(),
      warehouseId: fra.id,
      lines: [
        { sku: s, quantity: 4, condition: 'resellable' },
        { sku: s, quantity: 1, condition: 'damaged' },
      ],
    };
    const first = await receive(one, ds1, input);
    const again = await receive(two, ds2, {
      ...input,
      warehouseId: dub.id,
      lines: [{ sku: s, quantity: 9, condition: 'resellable' }],
    });

    expect(again).toEqual(first);
    expect(first).toEqual({ restocked: [{ sku: s, quantity: 4 }], writtenOff: [{ sku: s, quantity: 1 }] });
    expect(await onHand(s, fra.id)).toEqual({ onHand: 4, reserved: 0 });
    expect(await onHand(s, dub.id)).toBeNull();
    expect(await returnLedger(input.returnId)).toHaveLength(3);
    expect(await stockEvents([s])).toHaveLength(3);
  });

  it('20 concurrent receipts of one return over two pools: one effect, and every caller gets its outcome', async () => {
    const fra = await warehouse('FRA');
    const [a, b] = [sku('RACEA'), sku('RACEB')];
    await stock(a, { FRA: 10 });
    const input: ReturnReceipt = {
      returnId: newId(),
      warehouseId: fra.id,
      lines: [
        { sku: b, quantity: 2, condition: 'damaged' },
        { sku: a, quantity: 3, condition: 'resellable' },
      ],
    };

    const settled = await Promise.allSettled(
      Array.from({ length: 20 }, (_, i) =>
        i % 2 === 0 ? receive(one, ds1, input, 0.01) : receive(two, ds2, input, 0.01),
      ),
    );

    expect(settled.filter((r) => r.status === 'rejected')).toEqual([]);
    const results = settled.map((r) => (r as PromiseFulfilledResult<ReturnReceiptResult>).value);
    for (const r of results) {
      expect(r).toEqual({ restocked: [{ sku: a, quantity: 3 }], writtenOff: [{ sku: b, quantity: 2 }] });
    }
    expect(await onHand(a, fra.id)).toEqual({ onHand: 13, reserved: 0 });
    expect(await onHand(b, fra.id)).toEqual({ onHand: 0, reserved: 0 });
    expect(await returnLedger(input.returnId)).toHaveLength(3);
    expect(await stockEvents([a, b])).toHaveLength(3);
    const [receipts] = await ds1.query(
      'SELECT count(*)::int AS n FROM inventory_return_receipts WHERE return_id = $1',
      [input.returnId],
    );
    expect(receipts.n).toBe(1);
    await expectLedgerAddsUp([a, b]);
  });

  it('leaves nothing behind when the caller’s transaction rolls back: the return can be received later', async () => {
    const fra = await warehouse('FRA');
    const s = sku('ROLLBACK');
    const input: ReturnReceipt = {
      returnId: newId(),
      warehouseId: fra.id,
      lines: [{ sku: s, quantity: 2, condition: 'resellable' }],
    };
    await expect(
      ds1.transaction(async (m) => {
        await one.facade.receiveReturn(input, asHandle(m));
        throw new Error('the refund step failed');
      }),
    ).rejects.toThrow('the refund step failed');
    expect(await onHand(s, fra.id)).toBeNull();
    expect(await returnLedger(input.returnId)).toEqual([]);
    expect(await stockEvents([s])).toEqual([]);

    expect(await receive(one, ds1, input)).toEqual({ restocked: [{ sku: s, quantity: 2 }], writtenOff: [] });
    expect(await onHand(s, fra.id)).toEqual({ onHand: 2, reserved: 0 });
  });

  it('refuses a warehouse that is not this region’s with 404 and writes nothing', async () => {
    const s = sku('NOWH');
    const returnId = newId();
    const error = await receive(one, ds1, {
      returnId,
      warehouseId: newId(),
      lines: [{ sku: s, quantity: 1, condition: 'resellable' }],
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(NotFoundError);
    const [receipts] = await ds1.query(
      'SELECT count(*)::int AS n FROM inventory_return_receipts WHERE return_id = $1',
      [returnId],
    );
    expect(receipts.n).toBe(0);
    expect(await returnLedger(returnId)).toEqual([]);
  });

  it('never deadlocks with reservations of the same SKUs, whatever the order of the lines', async () => {
    const [fra, dub] = [await warehouse('FRA'), await warehouse('DUB')];
    const skus = [sku('LOCKA'), sku('LOCKB'), sku('LOCKC')];
    for (const s of skus) await stock(s, { FRA: 20, DUB: 20 });
    const returns = Array.from({ length: 30 }, (_, i) => {
      const picked = [skus[i % 3]!, skus[(i + 1) % 3]!, skus[(i + 2) % 3]!];
      if (i % 2 === 0) picked.reverse();
      return {
        returnId: newId(),
        warehouseId: i % 3 === 0 ? dub.id : fra.id,
        lines: picked.map((s, k) => ({
          sku: s,
          quantity: 1,
          condition: (k === 1 ? 'damaged' : 'resellable') as 'damaged' | 'resellable',
        })),
      };
    });
    const orders = Array.from({ length: 30 }, (_, i) => {
      const picked = i % 2 === 0 ? [...skus] : [...skus].reverse();
      return { id: newId(), lines: picked.map((s) => ({ sku: s, quantity: 1 })) };
    });

    const settled = await Promise.allSettled([
      ...returns.map((r, i) => (i % 2 === 0 ? receive(one, ds1, r, 0.002) : receive(two, ds2, r, 0.002))),
      ...orders.map((o, i) =>
        (i % 2 === 0 ? ds1 : ds2).transaction(async (m) => {
          const r = await (i % 2 === 0 ? one : two).facade.reserve(o.id, o.lines, asHandle(m));
          await m.query('SELECT pg_sleep(0.002)');
          return r;
        }),
      ),
    ]);

    expect(settled.filter((r) => r.status === 'rejected')).toEqual([]);
    const reserved = settled
      .slice(returns.length)
      .filter((r) => (r as PromiseFulfilledResult<ReservationResult>).value.ok).length;
    expect(reserved).toBe(orders.length); // 40 units of each SKU, 30 orders of one each
    expect([...one.retries, ...two.retries]).toEqual([]);
    for (const s of skus) {
      const total = (await one.stock.execute(s)).warehouses.reduce((sum, w) => sum + w.onHand, 0);
      // every return brings one unit of each SKU; one of the three lines is damaged and written off
      const back = returns.filter((r) =>
        r.lines.some((l) => l.sku === s && l.condition === 'resellable'),
      ).length;
      expect(total).toBe(40 + back);
    }
    await expectLedgerAddsUp(skus);
  });
});
