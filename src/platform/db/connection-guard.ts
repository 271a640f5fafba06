import { AsyncLocalStorage } from 'node:async_hooks';
import type { DataSource, EntityManager, QueryRunner, ReplicationMode } from 'typeorm';
import {
  currentRequestTransaction,
  outsideRequestTransaction,
  RequestTransaction,
} from './request-transaction.js';

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

/**
 * true inside the callback of a guarded `DataSource.transaction`, and in a write request whose
 * transaction has work waiting for its commit (request-transaction.ts): this async context holds a
 * connection with a transaction open on it.
 */
export const holdsConnection = (): boolean =>
  holding.getStore() === true || currentRequestTransaction()?.pending === true;

/**
 * Runs `work` outside the caller's transaction context — and outside its request's transaction: for
 * fire-and-forget work started inside a transaction that the transaction does not wait for (it cannot
 * deadlock the pool, and it is not part of what the request commits).
 */
export const detached = <T>(work: () => T): T => holding.exit(() => outsideRequestTransaction(work));

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

const openers = new WeakMap<DataSource, () => QueryRunner>();

/**
 * A new request transaction on a guarded data source (request-transaction.ts): its connection comes
 * from the pool, as any other.
 */
export const newRequestTransaction = (ds: DataSource): RequestTransaction => {
  const open = openers.get(ds);
  if (!open) throw new Error('request transactions need a data source set up by guardConnections');
  return new RequestTransaction(open);
};

/**
 * Installs both rules on a (not yet initialized) data source: transaction callbacks are marked at
 * once, the pool checkout is wrapped once `initialize()` has created the pool. In a write request
 * (request-transaction.ts) a transaction is one unit of work of the request's transaction, and every
 * statement made while the request holds its connection runs on that connection.
 */
export const guardConnections = (ds: DataSource, opts: ConnectionGuardOptions): void => {
  const manager = ds.manager;
  const transaction = manager.transaction.bind(manager) as (a: unknown, b?: unknown) => Promise<unknown>;
  (manager as { transaction: unknown }).transaction = (a: unknown, b?: unknown) => {
    const isolation = typeof a === 'function' ? undefined : (a as string);
    const work = (typeof a === 'function' ? a : b) as TransactionFn;
    const marked = (m: EntityManager) => holding.run(true, () => work(m));
    // a transaction asked for from inside another one's callback is nested: TypeORM makes it a
    // savepoint of the connection it gets (in a request, the request's own)
    const request = holding.getStore() ? undefined : currentRequestTransaction();
    // once the request has ended normally, work it left behind (a timer) runs on its own; a request
    // that went away mid-way refuses any more (request-transaction.ts `abandon`)
    if (request && (!request.ended || request.rolledBackUnfinished))
      return request.unitOfWork(marked, isolation);
    return isolation === undefined ? transaction(marked) : transaction(isolation, marked);
  };

  const createQueryRunner = ds.createQueryRunner.bind(ds);
  openers.set(ds, () => createQueryRunner('master'));
  ds.createQueryRunner = (mode?: ReplicationMode) =>
    currentRequestTransaction()?.borrow() ?? createQueryRunner(mode);

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
