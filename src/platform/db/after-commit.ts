import type { DataSource, EntitySubscriberInterface, QueryRunner } from 'typeorm';
import { asManager } from './typeorm-unit-of-work.js';
import type { TransactionHandle } from './unit-of-work.js';

/**
 * Runs `fn` once the transaction `tx` has committed, and never if it rolls back — for effects that
 * must not claim what did not happen, such as counting an order in a metric from inside a caller's
 * transaction (the caller may still fail and roll back after the use case returned). Work done inside
 * a savepoint that is rolled back is forgotten with it; work of a released savepoint waits for the
 * outer commit. Outside a transaction, `fn` runs at once.
 *
 * `fn` runs synchronously in TypeORM's after-commit broadcast: keep it small (a counter, a log line)
 * and free of I/O; a throw is swallowed so that it can never fail a transaction that has committed.
 */
export const afterCommit = (tx: TransactionHandle, fn: () => void): void => {
  const runner = asManager(tx).queryRunner;
  if (!runner?.isTransactionActive) {
    safely(fn);
    return;
  }
  install(runner.dataSource);
  const list = pending.get(runner) ?? [];
  list.push({ depth: depthOf(runner), fn });
  pending.set(runner, list);
};

interface Pending {
  /** the transaction depth it was registered at: 1 for the outer transaction, 2+ inside savepoints */
  depth: number;
  fn: () => void;
}

const pending = new WeakMap<QueryRunner, Pending[]>();
const installed = new WeakSet<DataSource>();

/** TypeORM keeps the savepoint depth on the query runner (protected in its typings). */
const depthOf = (runner: QueryRunner): number =>
  (runner as unknown as { transactionDepth: number }).transactionDepth;

const safely = (fn: () => void): void => {
  try {
    fn();
  } catch {
    // an after-commit effect never fails what has committed
  }
};

/**
 * Called after TypeORM committed or rolled back one level (the depth is already decremented):
 * a savepoint's entries move to the level around it (release) or are dropped (rollback to it); at the
 * outer level they run (commit) or are dropped (rollback).
 */
const settle = (runner: QueryRunner | undefined, outcome: 'commit' | 'rollback'): void => {
  if (!runner) return;
  const list = pending.get(runner);
  if (!list) return;
  const depth = depthOf(runner);
  const kept =
    outcome === 'rollback'
      ? list.filter((p) => p.depth <= depth)
      : list.map((p) => ({ ...p, depth: Math.min(p.depth, depth) }));
  if (runner.isTransactionActive && depth > 0) {
    pending.set(runner, kept);
    return;
  }
  pending.delete(runner);
  if (outcome === 'commit') for (const p of kept) safely(p.fn);
};

const subscriber: EntitySubscriberInterface = {
  afterTransactionCommit: (event) => settle(event.queryRunner, 'commit'),
  afterTransactionRollback: (event) => settle(event.queryRunner, 'rollback'),
};

/** One subscriber per data source, added after `initialize()` (which replaces the subscriber list). */
const install = (ds: DataSource): void => {
  if (installed.has(ds)) return;
  installed.add(ds);
  ds.subscribers.push(subscriber);
};
