import { AsyncLocalStorage } from 'node:async_hooks';
import type { DataSource, EntityManager } from 'typeorm';

/**
 * Two rules for the connection pool that every use case relies on (docs/architecture.md, "Connections"):
 *
 * 1. **Nobody waits for a connection while holding one.** Code running inside a transaction that asks
 *    the pool for a second connection can deadlock the pool: with N such requests in flight, all N
 *    connections are held by callers that wait for an (N+1)th. Reads a transaction needs run on its
 *    own connection (pass its `TransactionHandle`) or before it starts. The guard marks the async
 *    context of every `DataSource.transaction` callback and catches a pool checkout made from inside
 *    one: `error` fails that checkout (tests), `warn` reports it and lets it through (production).
 * 2. **A saturated pool sheds instead of queueing.** A checkout waits at most `acquireTimeoutMs`, and
 *    is refused at once when `maxWaiting` callers already wait; both become 503 UNAVAILABLE with
 *    Retry-After (see the error handler), so an overloaded instance answers quickly and recovers.
 */
export type NestedCheckoutPolicy = 'error' | 'warn';

export interface ConnectionGuardOptions {
  nested: NestedCheckoutPolicy;
  /** refuse a checkout at once when this many callers already wait for a connection */
  maxWaiting: number;
  /** called for every nested checkout (both policies) with the stack of the offending call */
  onNested?: (stack: string) => void;
  /** called for every checkout refused because the pool is saturated */
  onSaturated?: () => void;
}

/** A pool checkout from inside a transaction (rule 1): a programming error. */
export class NestedConnectionError extends Error {
  constructor() {
    super(
      'A database connection was requested while this async context already holds one (inside a transaction): pass the TransactionHandle instead',
    );
    this.name = 'NestedConnectionError';
  }
}

/** The pool is saturated (rule 2): every connection is busy and too many callers already wait. */
export class PoolSaturatedError extends Error {
  readonly code = 'POOL_SATURATED';
  constructor() {
    super('The database connection pool is saturated');
    this.name = 'PoolSaturatedError';
  }
}

const holding = new AsyncLocalStorage<true>();

/** true inside the callback of a guarded `DataSource.transaction` (this async context holds a connection). */
export const holdsConnection = (): boolean => holding.getStore() === true;

/**
 * Runs `work` outside the caller's transaction context: for fire-and-forget work started inside a
 * transaction that the transaction does not wait for (it cannot deadlock the pool).
 */
export const detached = <T>(work: () => T): T => holding.exit(work);

/** Runs `work` marked as holding a connection (for code that manages a QueryRunner by hand). */
export const whileHoldingConnection = <T>(work: () => Promise<T>): Promise<T> => holding.run(true, work);

type ConnectCallback = (err: Error | undefined, client?: unknown, release?: (e?: unknown) => void) => void;
interface PgPool {
  connect(cb?: ConnectCallback): unknown;
  waitingCount: number;
  idleCount: number;
  totalCount: number;
  options: { max: number };
}

/** The pg Pool behind TypeORM's Postgres driver (after initialize). */
export const poolOf = (ds: DataSource): PgPool => (ds.driver as unknown as { master: PgPool }).master;

type TransactionFn = (manager: EntityManager) => Promise<unknown>;

/**
 * Installs both rules on a (not yet initialized) data source: transaction callbacks are marked at
 * once, the pool checkout is wrapped once `initialize()` has created the pool.
 */
export const guardConnections = (ds: DataSource, opts: ConnectionGuardOptions): void => {
  const manager = ds.manager;
  const transaction = manager.transaction.bind(manager) as (a: unknown, b?: unknown) => Promise<unknown>;
  (manager as { transaction: unknown }).transaction = (a: unknown, b?: unknown) => {
    if (typeof a === 'function')
      return transaction((m: EntityManager) => holding.run(true, () => (a as TransactionFn)(m)));
    return transaction(a, (m: EntityManager) => holding.run(true, () => (b as TransactionFn)(m)));
  };

  const initialize = ds.initialize.bind(ds);
  ds.initialize = async () => {
    await initialize();
    wrapCheckout(poolOf(ds), opts);
    return ds;
  };
};

const wrapCheckout = (pool: PgPool, opts: ConnectionGuardOptions): void => {
  const connect = pool.connect.bind(pool);
  pool.connect = (cb?: ConnectCallback) => {
    const refuse = (err: Error): unknown => {
      if (cb) {
        process.nextTick(() => cb(err));
        return undefined;
      }
      return Promise.reject(err);
    };
    if (holdsConnection()) {
      const stack = new Error('nested checkout').stack ?? '';
      opts.onNested?.(stack);
      if (opts.nested === 'error') return refuse(new NestedConnectionError());
    }
    const saturated =
      pool.waitingCount >= opts.maxWaiting && pool.idleCount === 0 && pool.totalCount >= pool.options.max;
    if (saturated) {
      opts.onSaturated?.();
      return refuse(new PoolSaturatedError());
    }
    return cb ? connect(cb) : connect();
  };
};
