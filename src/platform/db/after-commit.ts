import { TransactionStaging } from './transaction-staging.js';
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
  if (!staging.add(asManager(tx).queryRunner, fn)) safely(fn);
};

const safely = (fn: () => void): void => {
  try {
    fn();
  } catch {
    // an after-commit effect never fails what has committed
  }
};

const staging = new TransactionStaging<() => void>({
  afterCommit: (fns) => {
    for (const fn of fns) safely(fn);
  },
});
