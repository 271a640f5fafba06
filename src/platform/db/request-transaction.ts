import { AsyncLocalStorage } from 'node:async_hooks';
import type { EntityManager, QueryRunner } from 'typeorm';
import { isDatabaseUnavailable } from './database-errors.js';

/**
 * The connection and transaction of one write request (ADR 0009, "After the effect").
 *
 * A write request keeps the connection of its first unit of work to its end: everything it does
 * after that — further units of work, the reads that render its answer, the idempotency record —
 * runs on that connection, never waiting for the pool. A saturated pool can therefore refuse a request
 * only before anything of it is done (503, nothing happened), never after its effect committed.
 *
 * A request with an `Idempotency-Key` goes further: its units of work do not commit one by one. The
 * first opens a transaction, each later one runs in a savepoint of it, and the request commits once,
 * after its answer is rendered, with that answer stored as the key's record in the same transaction
 * ({@link deferCommit}, {@link commit}). A retry after any failure then finds the stored answer (the
 * commit happened, the record with it) or nothing done (neither happened).
 *
 * Effects outside the database that must follow a commit (cache invalidation, the in-memory search
 * index; `UnitOfWorkScope.afterCommit`) wait for the request's commit when it is deferred, and run
 * after it, before the answer is sent. While work waits for that commit, `holdsConnection()` is true:
 * a call to a third party (a payment provider) refuses to run then — routes whose use cases call one
 * between their units of work opt out (`config.requestTransaction: false`) and record their answer
 * with each effect themselves (answer-checkpoint.ts).
 */
export class RequestTransaction {
  private runner: QueryRunner | null = null;
  private deferred = false;
  /** counts the transactions opened on the request's connection (names the open one) */
  private opened = 0;
  /** a unit of work completed in the deferred transaction and waits for the request's commit */
  private pendingWork = false;
  private finished = false;
  private cutShort = false;
  /** units of work of one request run one after the other on its connection */
  private queue: Promise<unknown> = Promise.resolve();
  private readonly afterCommits: (() => Promise<void> | void)[] = [];

  constructor(private readonly open: () => QueryRunner) {}

  /**
   * From now on the request's units of work commit together, with its answer ({@link commit}): the
   * request has an Idempotency-Key whose record must be written in the transaction of its effect.
   * Only before the first unit of work.
   */
  deferCommit(): void {
    if (this.runner?.isTransactionActive || this.pendingWork) {
      throw new Error('deferCommit() after a unit of work of the request ran');
    }
    this.deferred = true;
  }

  /** true once a unit of work of a deferred request is done and waits for {@link commit} */
  get pending(): boolean {
    return this.pendingWork && !this.finished;
  }

  /** true once the request committed or rolled back: it holds nothing any more */
  get ended(): boolean {
    return this.finished;
  }

  /** true when {@link abandon} ended it: whatever the request did was rolled back */
  get rolledBackUnfinished(): boolean {
    return this.cutShort;
  }

  /** The transaction open on the request's connection (a number naming it), or null. */
  openTransaction(): number | null {
    return this.runner?.isTransactionActive && !this.finished ? this.opened : null;
  }

  /**
   * The request's connection for a statement made outside a unit of work while it holds one (a read
   * while rendering the answer), as a runner whose `release()` keeps the connection; null when the
   * request holds none (the statement goes to the pool as usual).
   */
  borrow(): QueryRunner | null {
    const runner = this.runner;
    if (!runner || this.finished) return null;
    return new Proxy(runner, {
      get: (target, prop) => {
        if (prop === 'release') return async () => {};
        const value = Reflect.get(target, prop, target);
        return typeof value === 'function' ? value.bind(target) : value;
      },
    });
  }

  /**
   * Runs `work` in the deferred transaction, opening it (the claim of an Idempotency-Key, the first
   * thing such a request does). A throw rolls the whole transaction back.
   */
  within<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    return this.serially(async () => {
      if (!this.deferred) throw new Error('within() needs a request whose commit is deferred');
      const runner = await this.begin();
      try {
        return await work(runner.manager);
      } catch (err) {
        await this.rollbackAll(runner, err);
        throw err;
      }
    });
  }

  /**
   * Runs one unit of work (what `DataSource.transaction(work)` was asked for) on the request's
   * connection: in a transaction of its own that commits at once, or — deferred — in the request's
   * transaction (the first unit in it directly, later ones in a savepoint). A unit of work that throws
   * leaves nothing behind: its own transaction is rolled back, or its savepoint — or, for the first
   * unit of a deferred request, the request's whole transaction (the Idempotency-Key's claim with it).
   */
  unitOfWork<T>(work: (manager: EntityManager) => Promise<T>, isolation?: string): Promise<T> {
    return this.serially(() => (this.deferred ? this.deferredUnit(work) : this.ownUnit(work, isolation)));
  }

  private serially<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.queue.then(fn, fn);
    this.queue = run.catch(() => {});
    return run;
  }

  private async ownUnit<T>(work: (manager: EntityManager) => Promise<T>, isolation?: string): Promise<T> {
    const runner = await this.begin(isolation);
    let result: T;
    try {
      result = await work(runner.manager);
      await runner.commitTransaction();
    } catch (err) {
      await this.rollbackAll(runner, err);
      throw err;
    }
    return result;
  }

  private async deferredUnit<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    const runner = await this.begin();
    if (!this.pendingWork) {
      try {
        const result = await work(runner.manager);
        this.pendingWork = true;
        return result;
      } catch (err) {
        await this.rollbackAll(runner, err);
        throw err;
      }
    }
    // after another unit's effect: a savepoint, released into the request's transaction (its outbox
    // rows join the outer transaction: transaction-staging.ts) or rolled back alone
    await runner.startTransaction();
    try {
      const result = await work(runner.manager);
      await runner.commitTransaction();
      return result;
    } catch (err) {
      await runner.rollbackTransaction().catch(() => {});
      if (brokenConnection(err)) await this.letGo(err);
      throw err;
    }
  }

  /** The request's connection with a transaction open on it (BEGIN when none is). */
  private async begin(isolation?: string): Promise<QueryRunner> {
    if (this.finished) throw new Error('the request has ended; a unit of work cannot join its transaction');
    const runner = await this.acquire();
    if (runner.isTransactionActive) return runner;
    try {
      await runner.startTransaction(isolation as never);
    } catch (err) {
      // BEGIN itself failed (the connection is gone): nothing was done
      await this.letGo(err);
      throw err;
    }
    this.opened += 1;
    return runner;
  }

  /** The open transaction rolled back whole; the connection kept unless it broke. */
  private async rollbackAll(runner: QueryRunner, err: unknown): Promise<void> {
    while (runner.isTransactionActive) {
      try {
        await runner.rollbackTransaction();
      } catch {
        break;
      }
    }
    this.pendingWork = false;
    this.afterCommits.length = 0;
    if (brokenConnection(err) || runner.isTransactionActive) await this.letGo(err);
  }

  /** Queues `fn` to run after the request's COMMIT, before its answer is sent (never on rollback). */
  afterCommit(fn: () => Promise<void> | void): void {
    this.afterCommits.push(fn);
  }

  /**
   * Ends the request. With a transaction open (a deferred request): runs `last` in it (the
   * Idempotency-Key's answer), COMMITs, then runs the queued after-commit effects — their failures go
   * to `onError`, never to the caller: the effect has committed — and resolves true; a failed COMMIT
   * (or `last`) rolls back and throws: then nothing of the request happened. With none open: runs
   * `last` on its own (its failure goes to `onError`), resolves false. Lets go of the connection.
   */
  async commit(
    last?: (manager: EntityManager) => Promise<void>,
    onError: (err: unknown) => void = () => {},
  ): Promise<boolean> {
    await this.queue;
    if (this.finished) return false;
    const runner = this.runner;
    if (!runner?.isTransactionActive) {
      if (last) {
        try {
          await last((runner ?? (await this.acquire())).manager);
        } catch (err) {
          onError(err);
        }
      }
      await this.end();
      return false;
    }
    try {
      // A statement error the code caught and went on from aborted the transaction, and Postgres would
      // answer COMMIT with ROLLBACK, silently: never report a commit that did not happen. Any statement
      // fails in an aborted transaction — `last`, or a probe when there is none.
      if (last) await last(runner.manager);
      else await runner.query('SELECT 1');
      if (transactionAborted(runner))
        throw new Error('the request transaction was aborted by an earlier error');
      await runner.commitTransaction();
    } catch (err) {
      await runner.rollbackTransaction().catch(() => {});
      await this.end(err);
      throw err;
    }
    this.pendingWork = false;
    // what the effects do in the database commits on its own
    this.deferred = false;
    for (const fn of this.afterCommits.splice(0)) {
      try {
        await fn();
      } catch (err) {
        onError(err);
      }
    }
    await this.end();
    return true;
  }

  /** Rolls back whatever is open and lets go of the connection (a 5xx answer, a replay). */
  async rollback(): Promise<void> {
    await this.queue;
    const runner = this.runner;
    if (runner?.isTransactionActive) await this.rollbackAll(runner, undefined);
    await this.end();
  }

  /** The request went away before it answered (its connection closed): roll back whatever it did. */
  async abandon(): Promise<void> {
    if (this.finished) return;
    this.cutShort = true;
    await this.rollback();
  }

  private async acquire(): Promise<QueryRunner> {
    if (this.runner) return this.runner;
    const runner = this.open();
    try {
      await runner.connect();
    } catch (err) {
      await runner.release().catch(() => {});
      throw err;
    }
    this.runner = runner;
    return runner;
  }

  /** Back to the pool (a broken connection is discarded), without ending the request. */
  private async letGo(err?: unknown): Promise<void> {
    const runner = this.runner;
    this.runner = null;
    this.pendingWork = false;
    this.afterCommits.length = 0;
    if (runner) await release(runner, err);
  }

  private async end(err?: unknown): Promise<void> {
    this.finished = true;
    await this.letGo(err);
  }
}

/** TypeORM hands the error to pg-pool, which then destroys the client instead of reusing it. */
const release = async (runner: QueryRunner, err?: unknown): Promise<void> => {
  const pgRunner = runner as unknown as { releasePostgresConnection?: (e?: unknown) => Promise<void> };
  const done = pgRunner.releasePostgresConnection
    ? pgRunner.releasePostgresConnection(brokenConnection(err) ? err : undefined)
    : runner.release();
  await done.catch(() => {});
};

/** An error after which the connection cannot be trusted: it was lost (a statement that failed is not that). */
const brokenConnection = (err: unknown): boolean => err !== undefined && isDatabaseUnavailable(err);

/** pg's client keeps the transaction status of its last ReadyForQuery: 'E' is a failed transaction. */
const transactionAborted = (runner: QueryRunner): boolean =>
  (runner as unknown as { databaseConnection?: { _txStatus?: string } }).databaseConnection?._txStatus ===
  'E';

const current = new AsyncLocalStorage<RequestTransaction | undefined>();

/** The transaction of the write request this code runs for, if any. */
export const currentRequestTransaction = (): RequestTransaction | undefined => current.getStore();

/** Runs `work` (a request's processing) with `tx` as its request transaction. */
export const withRequestTransaction = <T>(tx: RequestTransaction, work: () => T): T => current.run(tx, work);

/** Runs `work` outside any request transaction (background work a request starts and does not wait for). */
export const outsideRequestTransaction = <T>(work: () => T): T => current.run(undefined, work);
