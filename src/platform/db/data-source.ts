import { DataSource, type EntitySchema, MigrationExecutor, type MixedList } from 'typeorm';
import type { MigrationClass } from '../module/context-module.js';
import { type ConnectionGuardOptions, guardConnections } from './connection-guard.js';

export interface DataSourceOptions {
  url: string;
  /** connections in the pool (DB_POOL_SIZE) */
  poolSize: number;
  entities: MixedList<EntitySchema>;
  /** the migrations runMigrations applies (src/contexts.ts MIGRATIONS); none by default */
  migrations?: readonly MigrationClass[];
  applicationName?: string;
  /** longest wait for a pooled connection before the caller gets 503 (DB_POOL_ACQUIRE_TIMEOUT_MS) */
  acquireTimeoutMs?: number;
  /** the pool rules of connection-guard.ts; default: nested checkouts fail, 1000 waiters at most */
  guard?: Partial<ConnectionGuardOptions>;
}

export const DEFAULT_ACQUIRE_TIMEOUT_MS = 2000;
export const DEFAULT_MAX_WAITING = 1000;

/**
 * The one TypeORM data source all contexts share. Schema changes only through migrations/. The pool
 * is guarded (connection-guard.ts): no checkout from inside a transaction, and a saturated pool
 * refuses quickly instead of queueing callers for long.
 */
export const createDataSource = (opts: DataSourceOptions): DataSource => {
  const ds = new DataSource({
    type: 'postgres',
    url: opts.url,
    entities: opts.entities,
    migrations: [...(opts.migrations ?? [])],
    migrationsTableName: 'schema_migrations',
    migrationsTransactionMode: 'each',
    synchronize: false,
    logging: false,
    extra: {
      max: opts.poolSize,
      application_name: opts.applicationName ?? 'shopcore',
      connectionTimeoutMillis: opts.acquireTimeoutMs ?? DEFAULT_ACQUIRE_TIMEOUT_MS,
      idleTimeoutMillis: 30_000,
    },
  });
  guardConnections(ds, { nested: 'error', maxWaiting: DEFAULT_MAX_WAITING, ...opts.guard });
  return ds;
};

/**
 * Applies pending migrations; safe to call from several instances at once (advisory lock). The lock
 * is session-level, so the migrations run on the connection that holds it: one connection, never two.
 */
export const runMigrations = async (ds: DataSource): Promise<string[]> => {
  const runner = ds.createQueryRunner();
  await runner.connect();
  try {
    await runner.query('SELECT pg_advisory_lock(7275232)');
    const executor = new MigrationExecutor(ds, runner);
    executor.transaction = 'each';
    const applied = await executor.executePendingMigrations();
    return applied.map((m) => m.name);
  } finally {
    await runner.query('SELECT pg_advisory_unlock(7275232)').catch(() => {});
    await runner.release();
  }
};
