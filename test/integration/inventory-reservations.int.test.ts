import type { DataSource } from 'typeorm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InventoryEventTypes, type ReservationResult } from '../../src/inventory/contract.js';
import {
  createInventoryServices,
  INVENTORY_ENTITIES,
  type InventoryServices,
} from '../../src/inventory/inventory.plugin.js';
import { MemoryCache } from '../../src/platform/cache/memory-cache.js';
import { ManualClock } from '../../src/platform/clock.js';
import { createDataSource } from '../../src/platform/db/data-source.js';
import { asHandle } from '../../src/platform/db/typeorm-unit-of-work.js';
import { newId } from '../../src/platform/ids.js';
import { regionPreset } from '../../src/platform/region/region-presets.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { missing } from '../support/skip.js';

/**
 * Reservations against a real Postgres from two separate connection pools (two app instances): no
 * interleaving of concurrent reservations sells more than is on hand, multi-line orders that lock the
 * same SKUs never deadlock, and the ledger always adds up to the stock table.
 */
describe.skipIf(missing('postgres'))('inventory reservations (two app instances, one database)', () => {
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
    ds1 = createDataSource({ url: db.url, poolSize: 8, entities: INVENTORY_ENTITIES });
    ds2 = createDataSource({ url: db.url, poolSize: 8, entities: INVENTORY_ENTITIES });
    await Promise.all([ds1.initialize(), ds2.initialize()]);
    one = createInventoryServices({ dataSource: ds1, region: eu, clock, reservationTtlSeconds: 900 });
    two = createInventoryServices({ dataSource: ds2, region: eu, clock, reservationTtlSeconds: 900 });
    // both instances create the region's warehouses at once: still one row per code
    const [w1, w2] = await Promise.all([one.warehouses.execute(), two.warehouses.execute()]);
    expect(w1).toEqual(w2);
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

  /** Every stock row of these SKUs is consistent with its reservations and its ledger. */
  const expectConsistent = async (skus: string[]) => {
    const rows: { sku: string; warehouse_id: string; on_hand: number; reserved: number }[] = await ds1.query(
      'SELECT sku, warehouse_id, on_hand, reserved FROM inventory_stock WHERE sku = ANY($1::text[])',
      [skus],
    );
    for (const r of rows) {
      expect(r.on_hand).toBeGreaterThanOrEqual(0);
      expect(r.reserved).toBeGreaterThanOrEqual(0);
      expect(r.reserved).toBeLessThanOrEqual(r.on_hand);
      const [held] = await ds1.query(
        `SELECT coalesce(sum(l.quantity), 0)::int AS q FROM inventory_reservation_lines l
         JOIN inventory_reservations h ON h.order_id = l.order_id
         WHERE h.status IN ('reserved', 'confirmed') AND l.sku = $1 AND l.warehouse_id = $2`,
        [r.sku, r.warehouse_id],
      );
      expect(held.q).toBe(r.reserved);
      // the ledger replayed in its order gives every row's "after" values and ends at the stock row
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
      let onHand = 0;
      let reserved = 0;
      for (const m of ledger) {
        onHand += m.delta;
        reserved += m.reserved_delta;
        expect([m.on_hand_after, m.reserved_after]).toEqual([onHand, reserved]);
        expect(onHand).toBeGreaterThanOrEqual(0);
        expect(reserved).toBeLessThanOrEqual(onHand);
      }
      expect([onHand, reserved]).toEqual([r.on_hand, r.reserved]);
    }
    return rows;
  };

  const eventsOf = async (type: string, subjects: string[]) =>
    (await ds1.query('SELECT subject, data FROM outbox WHERE type = $1 AND subject = ANY($2::text[])', [
      type,
      subjects,
    ])) as { subject: string; data: Record<string, unknown> }[];

  it('sells exactly 50 units when 200 single-unit reservations race over two pools', async () => {
    const s = sku('RACE');
    await stock(s, { FRA: 30, DUB: 20 });
    const orders = Array.from({ length: 200 }, () => newId());
    const started = performance.now();
    const settled = await Promise.allSettled(
      orders.map((id, i) => (i % 2 === 0 ? one : two).facade.reserve(id, [{ sku: s, quantity: 1 }])),
    );
    const elapsed = performance.now() - started;
    const thrown = settled.filter((r) => r.status === 'rejected');
    expect(thrown).toEqual([]);
    const results = settled.map((r) => (r as PromiseFulfilledResult<ReservationResult>).value);
    const won = results.filter((r) => r.ok);
    const lost = results.filter((r) => !r.ok);
    expect(won).toHaveLength(50);
    expect(lost).toHaveLength(150);
    for (const r of lost) expect(r).toMatchObject({ ok: false, shortSkus: [s] });

    const rows = await expectConsistent([s]);
    expect(rows.reduce((sum, r) => sum + r.reserved, 0)).toBe(50);
    expect(rows.reduce((sum, r) => sum + r.on_hand, 0)).toBe(50);
    expect((await one.facade.availability([s], { fresh: true })).get(s)).toBe(0);
    expect(await eventsOf(InventoryEventTypes.InventoryReserved, orders)).toHaveLength(50);
    expect(await eventsOf(InventoryEventTypes.InventoryReservationFailed, orders)).toHaveLength(150);
    expect([...one.retries, ...two.retries]).toEqual([]);
    console.info(`[inventory] 200 racing reservations over two pools settled in ${elapsed.toFixed(0)} ms`);
  });

  it('never deadlocks nor oversells when multi-line orders lock shared SKUs in any line order', async () => {
    const skus = [sku('A'), sku('B'), sku('C')];
    for (const s of skus) await stock(s, { FRA: 25, DUB: 15 });
    const orders = Array.from({ length: 100 }, (_, i) => {
      // every order wants two or three of the SKUs, listed in a rotating order
      const picked = [skus[i % 3]!, skus[(i + 1) % 3]!, ...(i % 2 === 0 ? [skus[(i + 2) % 3]!] : [])];
      if (i % 4 < 2) picked.reverse();
      return { id: newId(), lines: picked.map((s, k) => ({ sku: s, quantity: 1 + ((i + k) % 3) })) };
    });
    // half of them inside a caller's transaction (as checkout does), holding their locks a moment
    const started = performance.now();
    const settled = await Promise.allSettled(
      orders.map((o, i) => {
        const svc = i % 2 === 0 ? one : two;
        if (i % 3 !== 0) return svc.facade.reserve(o.id, o.lines);
        const ds = i % 2 === 0 ? ds1 : ds2;
        return ds.transaction(async (m) => {
          const r = await svc.facade.reserve(o.id, o.lines, asHandle(m));
          await m.query('SELECT pg_sleep(0.002)');
          return r;
        });
      }),
    );
    const elapsed = performance.now() - started;
    expect(settled.filter((r) => r.status === 'rejected')).toEqual([]);
    const results = settled.map((r) => (r as PromiseFulfilledResult<ReservationResult>).value);
    const won = results.filter((r) => r.ok);
    expect(won.length).toBeGreaterThan(0);
    expect(results.some((r) => !r.ok)).toBe(true);

    // each winning order holds exactly what it asked for; nothing else is held
    const asked = new Map(orders.map((o) => [o.id, o.lines]));
    const expected = new Map<string, number>(skus.map((s) => [s, 0]));
    for (const r of won) {
      if (!r.ok) continue;
      for (const l of asked.get(r.orderId)!) {
        const got = r.lines.filter((x) => x.sku === l.sku).reduce((sum, x) => sum + x.quantity, 0);
        expect(got).toBe(l.quantity);
        expected.set(l.sku, expected.get(l.sku)! + l.quantity);
      }
    }
    const rows = await expectConsistent(skus);
    for (const s of skus) {
      const reserved = rows.filter((r) => r.sku === s).reduce((sum, r) => sum + r.reserved, 0);
      expect(reserved).toBe(expected.get(s));
      expect(reserved).toBeLessThanOrEqual(40);
    }
    expect([...one.retries, ...two.retries]).toEqual([]);
    console.info(
      `[inventory] 100 racing multi-line orders settled in ${elapsed.toFixed(0)} ms (${won.length} won)`,
    );
  });

  it('returns the existing allocation when the same order is reserved again, also concurrently', async () => {
    const s = sku('IDEM');
    await stock(s, { FRA: 5 });
    const orderId = newId();
    const [a, b] = await Promise.all([
      one.facade.reserve(orderId, [{ sku: s, quantity: 2 }]),
      two.facade.reserve(orderId, [{ sku: s, quantity: 2 }]),
    ]);
    expect(a).toEqual(b);
    expect(a).toMatchObject({
      ok: true,
      lines: [{ sku: s, warehouseId: (await warehouse('FRA')).id, quantity: 2 }],
    });
    const again = await one.facade.reserve(orderId, [{ sku: s, quantity: 2 }]);
    expect(again).toEqual(a);
    expect((await one.stock.execute(s)).totalAvailable).toBe(3);
    expect(await eventsOf(InventoryEventTypes.InventoryReserved, [orderId])).toHaveLength(1);
    await expectConsistent([s]);
  });

  it('reserves all lines or none, reporting the short SKUs', async () => {
    const [x, y] = [sku('ALL'), sku('NONE')];
    await stock(x, { FRA: 10 });
    await stock(y, { DUB: 1 });
    const orderId = newId();
    const r = await one.facade.reserve(orderId, [
      { sku: x, quantity: 3 },
      { sku: y, quantity: 2 },
    ]);
    expect(r).toEqual({ ok: false, orderId, shortSkus: [y] });
    const avail = await one.facade.availability([x, y], { fresh: true });
    expect([avail.get(x), avail.get(y)]).toEqual([10, 1]);
    const [failed] = await eventsOf(InventoryEventTypes.InventoryReservationFailed, [orderId]);
    expect(failed?.data).toEqual({ orderId, shortSkus: [y] });
  });

  it('records a failure inside a rolled-back caller transaction in a transaction of its own', async () => {
    const s = sku('ROLLBACK');
    const orderId = newId();
    await expect(
      ds1.transaction(async (m) => {
        const r = await one.facade.reserve(orderId, [{ sku: s, quantity: 1 }], asHandle(m));
        expect(r.ok).toBe(false);
        throw new Error('checkout rolls back');
      }),
    ).rejects.toThrow('checkout rolls back');
    await one.drain();
    expect(await eventsOf(InventoryEventTypes.InventoryReservationFailed, [orderId])).toHaveLength(1);
  });

  it('releases what an order holds once, with InventoryReleased', async () => {
    const s = sku('REL');
    await stock(s, { FRA: 2, DUB: 2 });
    const orderId = newId();
    const r = await one.facade.reserve(orderId, [{ sku: s, quantity: 3 }]);
    expect(r.ok && r.lines.length).toBe(2); // split over both warehouses
    const [first, second] = await Promise.all([
      one.facade.release(orderId, 'payment_declined'),
      two.facade.release(orderId, 'payment_declined'),
    ]);
    expect([first, second].map((l) => l.length).sort()).toEqual([0, 2]);
    expect(await one.facade.release(orderId, 'again')).toEqual([]);
    expect((await one.facade.availability([s], { fresh: true })).get(s)).toBe(4);
    const events = await eventsOf(InventoryEventTypes.InventoryReleased, [orderId]);
    expect(events).toHaveLength(1);
    expect(events[0]!.data).toMatchObject({ orderId, reason: 'payment_declined' });
    await expectConsistent([s]);
  });

  it('expires reservations: the sweeper releases them and availability shows the stock again', async () => {
    const s = sku('EXP');
    await stock(s, { DUB: 4 });
    const cache = new MemoryCache();
    const browsing = createInventoryServices({
      dataSource: ds2,
      region: eu,
      clock,
      cache,
      reservationTtlSeconds: 60,
    });
    const orderId = newId();
    const kept = newId();
    expect((await browsing.facade.reserve(orderId, [{ sku: s, quantity: 3 }])).ok).toBe(true);
    expect((await browsing.facade.reserve(kept, [{ sku: s, quantity: 1 }])).ok).toBe(true);
    expect(await browsing.facade.confirm(kept)).toBe(true); // a paid order's reservation never expires
    expect((await browsing.facade.availability([s])).get(s)).toBe(0);

    clock.advance(59_000);
    expect(await one.sweepOnce()).toEqual([]);
    clock.advance(2_000);
    const dub = (await warehouse('DUB')).id;
    const mine = (xs: { orderId: string }[], ids: string[]) => xs.filter((x) => ids.includes(x.orderId));
    expect(mine(await browsing.sweepOnce(), [orderId, kept])).toEqual([
      { orderId, lines: [{ sku: s, warehouseId: dub, quantity: 3 }] },
    ]);
    // the instance that swept invalidated its own cached availability; another reads fresh
    expect((await browsing.facade.availability([s])).get(s)).toBe(3);
    expect((await one.facade.availability([s], { fresh: true })).get(s)).toBe(3);

    // two sweepers at once: an expired reservation is released by exactly one of them
    const raced = newId();
    expect((await one.facade.reserve(raced, [{ sku: s, quantity: 2 }])).ok).toBe(true);
    clock.advance(16 * 60_000); // past the default 15-minute TTL of `one`
    const [a, b] = await Promise.all([one.sweepOnce(), two.sweepOnce()]);
    expect(mine([...a, ...b], [raced, kept])).toEqual([
      { orderId: raced, lines: [{ sku: s, warehouseId: dub, quantity: 2 }] },
    ]);
    expect((await two.facade.availability([s], { fresh: true })).get(s)).toBe(3);
    const [event] = await eventsOf(InventoryEventTypes.InventoryReleased, [orderId]);
    expect(event?.data).toMatchObject({ orderId, reason: 'expired' });
    await expectConsistent([s]);
  });

  it('serves browsing availability from the cache for at most its TTL, never when reserving', async () => {
    const s = sku('CACHE');
    await stock(s, { FRA: 2 });
    // the cache's own clock, moved by hand past the TTL
    const cacheClock = new ManualClock('2026-03-01T12:00:00Z');
    const cache = new MemoryCache(100_000, cacheClock);
    const a = createInventoryServices({
      dataSource: ds1,
      region: eu,
      clock,
      cache,
      availabilityTtlSeconds: 1,
    });
    expect((await a.facade.availability([s])).get(s)).toBe(2);
    // another instance takes the stock: this instance's cached answer is stale until it expires
    expect((await two.facade.reserve(newId(), [{ sku: s, quantity: 2 }])).ok).toBe(true);
    expect((await a.facade.availability([s])).get(s)).toBe(2);
    expect((await a.facade.availability([s], { fresh: true })).get(s)).toBe(0);
    // reserving reads the locked rows, not the cache
    expect(await a.facade.reserve(newId(), [{ sku: s, quantity: 1 }])).toMatchObject({ ok: false });
    cacheClock.advance(1_000);
    expect((await a.facade.availability([s])).get(s)).toBe(0);
  });
});
