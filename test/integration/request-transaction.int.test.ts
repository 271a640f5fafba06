import pg from 'pg';
import type { DataSource } from 'typeorm';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { callProvider } from '../../src/payments/application/provider-calls.service.js';
import {
  detached,
  holdsConnection,
  newRequestTransaction,
  poolOf,
} from '../../src/platform/db/connection-guard.js';
import { createDataSource } from '../../src/platform/db/data-source.js';
import {
  type RequestTransaction,
  withRequestTransaction,
} from '../../src/platform/db/request-transaction.js';
import { TypeOrmUnitOfWork } from '../../src/platform/db/typeorm-unit-of-work.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { missing } from '../support/skip.js';

/**
 * The request transaction (ADR 0009 "After the effect", platform/db/request-transaction.ts) on a real
 * Postgres: what a write request's units of work, reads and answer do to its connection and
 * transaction. Statements go through the data source exactly as use cases send them
 * (`DataSource.transaction`, `DataSource.query`, a TypeOrmUnitOfWork); what committed is read on a
 * connection of the test's own.
 */
describe.skipIf(missing('postgres'))(
  'a write request’s connection and transaction (request-transaction.ts)',
  () => {
    let db: TestDatabase;
    let ds: DataSource;
    let outside: pg.Client;

    beforeAll(async () => {
      db = await createTestDatabase();
      ds = createDataSource({ url: db.url, poolSize: 3, entities: [], guard: { nested: 'error' } });
      await ds.initialize();
      await ds.query('CREATE TABLE rt_items (name text PRIMARY KEY)');
      outside = new pg.Client({ connectionString: db.url });
      await outside.connect();
    });
    afterAll(async () => {
      await outside?.end();
      if (ds?.isInitialized) await ds.destroy();
      await db?.drop();
    });
    beforeEach(async () => {
      await outside.query('TRUNCATE rt_items');
    });

    const committed = async () =>
      (await outside.query<{ name: string }>('SELECT name FROM rt_items ORDER BY name')).rows.map(
        (r) => r.name,
      );
    const insert =
      (name: string) =>
      async (m: { query: (sql: string, p: unknown[]) => Promise<unknown> }): Promise<void> => {
        await m.query('INSERT INTO rt_items (name) VALUES ($1)', [name]);
      };
    const backend = async () =>
      ((await ds.query('SELECT pg_backend_pid() AS pid')) as { pid: number }[])[0]!.pid;
    /** Runs `work` as a request's processing with a fresh request transaction. */
    const asRequest = <T>(work: (tx: RequestTransaction) => Promise<T>, deferred = false) => {
      const tx = newRequestTransaction(ds);
      if (deferred) tx.deferCommit();
      return withRequestTransaction(tx, () => work(tx));
    };

    it('without a key: each unit of work commits at once, and the request keeps one connection to its end', async () => {
      await asRequest(async (tx) => {
        await ds.transaction(insert('a'));
        expect(await committed()).toEqual(['a']);
        const pid = await backend();
        await ds.transaction(insert('b'));
        // reads after the effect and later units run on the same connection, not on another of the pool
        expect(await backend()).toBe(pid);
        expect(poolOf(ds).totalCount - poolOf(ds).idleCount).toBe(1);
        expect(await tx.commit()).toBe(false);
      });
      expect(await committed()).toEqual(['a', 'b']);
      expect(poolOf(ds).totalCount - poolOf(ds).idleCount).toBe(0);
    });

    it('with a key: the units of work commit once, with the answer, after it is rendered on the same connection', async () => {
      await asRequest(async (tx) => {
        await tx.within(insert('claim'));
        await ds.transaction(insert('a'));
        await ds.transaction(insert('b'));
        expect(tx.pending).toBe(true);
        expect(holdsConnection()).toBe(true);
        // the rendering reads the request's own uncommitted writes; nothing is visible outside yet
        expect(((await ds.query('SELECT count(*)::int AS n FROM rt_items')) as { n: number }[])[0]!.n).toBe(
          3,
        );
        expect(await committed()).toEqual([]);
        expect(await tx.commit(insert('answer'))).toBe(true);
      }, true);
      expect(await committed()).toEqual(['a', 'answer', 'b', 'claim']);
    });

    it('with a key: a first unit of work that fails takes the claim with it; a later one rolls back alone (savepoint)', async () => {
      await asRequest(async (tx) => {
        await tx.within(insert('claim'));
        await expect(
          ds.transaction(async (m) => {
            await insert('first')(m);
            throw new Error('refused');
          }),
        ).rejects.toThrow('refused');
        expect(tx.openTransaction()).toBeNull();
        await ds.transaction(insert('a'));
        await expect(
          ds.transaction(async (m) => {
            await insert('later')(m);
            throw new Error('refused too');
          }),
        ).rejects.toThrow('refused too');
        await tx.commit();
      }, true);
      expect(await committed()).toEqual(['a']);
    });

    it('with a key: a 5xx rolls everything back, and effects queued after commit never run', async () => {
      const effects: string[] = [];
      const uow = new TypeOrmUnitOfWork(ds, () => null);
      await asRequest(async (tx) => {
        await uow.run(async ({ tx: handle, afterCommit }) => {
          await insert('a')(handle as never);
          afterCommit(() => void effects.push('invalidate'));
        });
        expect(effects).toEqual([]); // not before the request's commit
        await tx.rollback();
      }, true);
      expect(await committed()).toEqual([]);
      expect(effects).toEqual([]);
      await asRequest(async (tx) => {
        await uow.run(async ({ tx: handle, afterCommit }) => {
          await insert('b')(handle as never);
          afterCommit(() => void effects.push('invalidate'));
        });
        await tx.commit();
      }, true);
      expect(effects).toEqual(['invalidate']);
      expect(await committed()).toEqual(['b']);
    });

    it('with a key: a failed COMMIT (here: the answer could not be stored) reports failure and keeps nothing', async () => {
      await asRequest(async (tx) => {
        await ds.transaction(insert('a'));
        await expect(tx.commit(insert('a'))).rejects.toThrow(/duplicate key/);
      }, true);
      expect(await committed()).toEqual([]);
    });

    it('never reports a commit of a transaction an error aborted, even when the code caught that error', async () => {
      await asRequest(async (tx) => {
        await ds.transaction(insert('a'));
        await ds.query('SELECT 1/0').catch(() => {}); // a read that failed and was swallowed
        await expect(tx.commit()).rejects.toThrow(/aborted/);
      }, true);
      expect(await committed()).toEqual([]);
    });

    it('refuses a payment provider call while work waits for the commit; detached work runs outside the request', async () => {
      await asRequest(async (tx) => {
        await ds.transaction(insert('a'));
        await expect(callProvider(async () => 'charged')).rejects.toThrow(/inside a database transaction/);
        // background work a request starts sees only what committed, on a connection of its own
        const seen = await detached(
          async () => ((await ds.query('SELECT count(*)::int AS n FROM rt_items')) as { n: number }[])[0]!.n,
        );
        expect(seen).toBe(0);
        await tx.commit();
        expect(holdsConnection()).toBe(false);
      }, true);
    });

    it('a request that went away is rolled back and cannot join its transaction any more', async () => {
      await asRequest(async (tx) => {
        await ds.transaction(insert('a'));
        await tx.abandon();
        expect(tx.rolledBackUnfinished).toBe(true);
        await expect(ds.transaction(insert('b'))).rejects.toThrow(/request has ended/);
      }, true);
      expect(await committed()).toEqual([]);
      expect(poolOf(ds).totalCount - poolOf(ds).idleCount).toBe(0);
    });
  },
);
