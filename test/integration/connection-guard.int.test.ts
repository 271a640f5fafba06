import type { DataSource } from 'typeorm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  detached,
  NestedConnectionError,
  PoolSaturatedError,
  poolOf,
} from '../../src/platform/db/connection-guard.js';
import { createDataSource } from '../../src/platform/db/data-source.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { missing } from '../support/skip.js';
import { sampleWhile } from '../support/wait.js';

/** Holds `n` pooled connections in open transactions until `release()` is called. */
const holdConnections = async (ds: DataSource, n: number) => {
  let release!: () => void;
  const gate = new Promise<void>((resolve) => {
    release = resolve;
  });
  let started = 0;
  let allStarted!: () => void;
  const holding = new Promise<void>((resolve) => {
    allStarted = resolve;
  });
  const held = Array.from({ length: n }, () =>
    ds.transaction(async (m) => {
      await m.query('SELECT 1');
      if (++started === n) allStarted();
      await gate;
    }),
  );
  // every transaction holds its connection (or one failed: that rejects here)
  await Promise.race([holding, Promise.all(held)]);
  return {
    release: async () => {
      release();
      await Promise.all(held);
    },
  };
};

describe.skipIf(missing('postgres'))('the connection pool rules (connection-guard.ts)', () => {
  let db: TestDatabase;
  const sources: DataSource[] = [];
  const open = async (opts: Partial<Parameters<typeof createDataSource>[0]> = {}) => {
    const ds = createDataSource({ url: db.url, poolSize: 3, entities: [], ...opts });
    await ds.initialize();
    sources.push(ds);
    return ds;
  };

  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(async () => {
    for (const ds of sources) if (ds.isInitialized) await ds.destroy();
    await db?.drop();
  });

  it('fails a checkout made from inside a transaction (policy error), and reports it', async () => {
    const nested: string[] = [];
    const ds = await open({ guard: { nested: 'error', onNested: (stack) => nested.push(stack) } });
    const outcome = await ds
      .transaction(async () => {
        await ds.query('SELECT 1'); // a second connection while holding the transaction's
      })
      .catch((err: unknown) => err);
    expect(outcome).toBeInstanceOf(NestedConnectionError);
    expect(nested).toHaveLength(1);
    expect(nested[0]).toContain('connection-guard.int.test.ts');
    // a read on the transaction's own connection is what a use case does instead
    await expect(ds.transaction((m) => m.query('SELECT 1 AS one'))).resolves.toEqual([{ one: 1 }]);
    // and outside a transaction nothing is in the way
    await expect(ds.query('SELECT 2 AS two')).resolves.toEqual([{ two: 2 }]);
  });

  it('lets it through but reports it with policy warn (production)', async () => {
    const nested: string[] = [];
    const ds = await open({ guard: { nested: 'warn', onNested: (stack) => nested.push(stack) } });
    await expect(ds.transaction(() => ds.query('SELECT 1 AS one'))).resolves.toEqual([{ one: 1 }]);
    expect(nested).toHaveLength(1);
  });

  it('does not count fire-and-forget work started inside a transaction (detached)', async () => {
    const nested: string[] = [];
    const ds = await open({ guard: { nested: 'error', onNested: (stack) => nested.push(stack) } });
    let background: Promise<unknown> | undefined;
    await ds.transaction(async (m) => {
      await m.query('SELECT 1');
      background = detached(() => ds.query('SELECT 1'));
    });
    await expect(background).resolves.toBeDefined();
    expect(nested).toEqual([]);
  });

  it('refuses a checkout at once when every connection is busy and maxWaiting callers already wait', async () => {
    let refused = 0;
    const ds = await open({ poolSize: 2, guard: { maxWaiting: 1, onSaturated: () => refused++ } });
    const held = await holdConnections(ds, 2);
    const waiting = ds.query('SELECT 1 AS waited'); // the one caller allowed to wait
    const t0 = Date.now();
    const outcome = await ds.query('SELECT 1').catch((err: unknown) => err);
    expect(outcome).toBeInstanceOf(PoolSaturatedError);
    expect(Date.now() - t0).toBeLessThan(500); // refused without waiting for the acquire timeout
    expect(refused).toBe(1);
    await held.release();
    await expect(waiting).resolves.toEqual([{ waited: 1 }]);
  });

  it('gives up waiting after the acquire timeout (503 at the API) instead of queueing for long', async () => {
    const ds = await open({ poolSize: 1, acquireTimeoutMs: 200 });
    const held = await holdConnections(ds, 1);
    const outcome = await ds.query('SELECT 1').catch((err: unknown) => err as Error);
    expect((outcome as Error).message).toBe('timeout exceeded when trying to connect');
    await held.release();
    await expect(ds.query('SELECT 1 AS ok')).resolves.toEqual([{ ok: 1 }]);
  });

  it('never opens more connections than the pool size (DB_POOL_SIZE)', async () => {
    const name = `guard-size-${Date.now()}`;
    const ds = await open({ poolSize: 4, applicationName: name });
    const peak = { value: 0 };
    const watcher = await open({ poolSize: 1 });
    const watch = sampleWhile(async () => {
      const [row] = await watcher.query(
        'SELECT count(*)::int AS n FROM pg_stat_activity WHERE application_name = $1',
        [name],
      );
      peak.value = Math.max(peak.value, row.n);
    }, 5);
    await Promise.all(Array.from({ length: 40 }, () => ds.query('SELECT pg_sleep(0.02)')));
    await watch.stop();
    expect(peak.value).toBeGreaterThan(1);
    expect(peak.value).toBeLessThanOrEqual(4);
    expect(poolOf(ds).totalCount).toBeLessThanOrEqual(4);
  });
});
