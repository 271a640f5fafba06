import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { inject } from 'vitest';
import { pollUntil } from './wait.js';

export const withDatabase = (url: string, db: string): string => {
  const u = new URL(url);
  u.pathname = `/${db}`;
  return u.toString();
};

/** Why the database suites cannot run here, or null when they can. */
export const postgresUnavailable = (): string | null =>
  inject('postgresUrl') && inject('postgresTemplate') ? null : inject('postgresReason') || 'no Postgres';

export interface TestDatabase {
  url: string;
  name: string;
  drop(): Promise<void>;
}

/** A fresh, migrated database of its own (cloned from the migrated template), dropped afterwards. */
export const createTestDatabase = async (): Promise<TestDatabase> => {
  const adminUrl = inject('postgresUrl');
  const template = inject('postgresTemplate');
  if (!adminUrl || !template) throw new Error(`Postgres unavailable: ${inject('postgresReason')}`);
  const name = `shopcore_t_${randomBytes(6).toString('hex')}`;
  const admin = new Client({ connectionString: adminUrl });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${name} TEMPLATE ${template}`);
  } finally {
    await admin.end();
  }
  return {
    url: withDatabase(adminUrl, name),
    name,
    drop: async () => {
      const c = new Client({ connectionString: adminUrl });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`).catch(() => {});
      await c.end();
    },
  };
};

/**
 * Waits until `n` sessions of the client's database wait on a lock (requests blocked behind a row
 * the test locked), for at most `timeoutMs`; throws otherwise, so a test never goes on half set up.
 */
export const waitForLockWaiters = async (
  client: { query: (sql: string) => Promise<{ rows: { n: number }[] }> },
  n: number,
  timeoutMs = 10_000,
): Promise<void> => {
  const waiting = await pollUntil(
    async () =>
      (
        await client.query(
          "SELECT count(*)::int AS n FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND datname = current_database()",
        )
      ).rows[0]?.n ?? 0,
    (waiters) => waiters >= n,
    timeoutMs,
    10,
  );
  if (waiting < n) throw new Error(`fewer than ${n} sessions waited on a lock within ${timeoutMs} ms`);
};
