import type { DataSource } from 'typeorm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { afterCommit } from '../../src/platform/db/after-commit.js';
import { createDataSource } from '../../src/platform/db/data-source.js';
import { asHandle } from '../../src/platform/db/typeorm-unit-of-work.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { missing } from '../support/skip.js';

/** afterCommit(tx, fn): fn runs once the transaction committed, never when it (or its savepoint) rolled back. */
describe.skipIf(missing('postgres'))('afterCommit (platform/db/after-commit.ts)', () => {
  let db: TestDatabase;
  let ds: DataSource;
  beforeAll(async () => {
    db = await createTestDatabase();
    ds = createDataSource({ url: db.url, poolSize: 2, entities: [] });
    await ds.initialize();
  });
  afterAll(async () => {
    await ds?.destroy();
    await db?.drop();
  });

  it('runs after COMMIT, not before', async () => {
    const ran: string[] = [];
    await ds.transaction(async (m) => {
      afterCommit(asHandle(m), () => ran.push('a'));
      afterCommit(asHandle(m), () => ran.push('b'));
      await m.query('SELECT 1');
      expect(ran).toEqual([]);
    });
    expect(ran).toEqual(['a', 'b']);
  });

  it('never runs when the transaction rolls back', async () => {
    const ran: string[] = [];
    await expect(
      ds.transaction(async (m) => {
        afterCommit(asHandle(m), () => ran.push('x'));
        throw new Error('rolled back');
      }),
    ).rejects.toThrow('rolled back');
    // the next transaction on a recycled connection does not inherit it
    await ds.transaction(async (m) => {
      await m.query('SELECT 1');
    });
    expect(ran).toEqual([]);
  });

  it('forgets what a rolled-back savepoint registered, and keeps what a released one did for the outer commit', async () => {
    const ran: string[] = [];
    await ds.transaction(async (m) => {
      afterCommit(asHandle(m), () => ran.push('outer'));
      await m
        .transaction(async (inner) => {
          afterCommit(asHandle(inner), () => ran.push('rolled back savepoint'));
          throw new Error('inner fails');
        })
        .catch(() => {});
      await m.transaction(async (inner) => {
        afterCommit(asHandle(inner), () => ran.push('released savepoint'));
      });
      expect(ran).toEqual([]);
    });
    expect(ran).toEqual(['outer', 'released savepoint']);
  });

  it('runs at once outside a transaction, and a throwing effect never fails a commit', async () => {
    const ran: string[] = [];
    afterCommit(asHandle(ds.manager), () => ran.push('now'));
    expect(ran).toEqual(['now']);
    await ds.transaction(async (m) => {
      afterCommit(asHandle(m), () => {
        throw new Error('boom');
      });
      afterCommit(asHandle(m), () => ran.push('still'));
    });
    expect(ran).toEqual(['now', 'still']);
  });
});
