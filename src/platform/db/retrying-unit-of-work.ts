import { retryPolicy } from '../resilience/retry.js';
import type { TransactionHandle, UnitOfWork, UnitOfWorkScope } from './unit-of-work.js';

/** Postgres SQLSTATEs that mean "this transaction lost a race; running it again is safe". */
const TRANSIENT = new Set(['40P01' /* deadlock_detected */, '40001' /* serialization_failure */]);

export const transientCode = (err: unknown): string | null => {
  const e = err as { code?: unknown; driverError?: { code?: unknown } } | null;
  const code = e?.code ?? e?.driverError?.code;
  return typeof code === 'string' && TRANSIENT.has(code) ? code : null;
};

export interface TransactionRetryOptions {
  /** attempts in all (default 5) */
  attempts?: number;
  /** base backoff in ms (default 5); see platform/resilience/retry.ts */
  baseDelayMs?: number;
  onRetry?: (code: string, attempt: number) => void;
}

/**
 * Runs a context's own transactions again after a deadlock or serialization failure, with the
 * platform's jittered backoff, so that such errors never reach a caller. `join` (the caller's
 * transaction) is not retried: an aborted transaction can only be retried by whoever opened it.
 */
export class RetryingUnitOfWork<R> implements UnitOfWork<R> {
  private readonly policy;

  constructor(
    private readonly inner: UnitOfWork<R>,
    opts: TransactionRetryOptions = {},
  ) {
    const base = opts.baseDelayMs ?? 5;
    this.policy = retryPolicy({
      maxAttempts: opts.attempts ?? 5,
      baseDelayMs: base,
      maxDelayMs: base * 64,
      retryOn: (err) => transientCode(err) !== null,
      onRetry: ({ err, attempt }) => opts.onRetry?.(transientCode(err)!, attempt),
    });
  }

  run<T>(work: (scope: UnitOfWorkScope<R>) => Promise<T>): Promise<T> {
    return this.policy.execute(() => this.inner.run(work));
  }

  join<T>(tx: TransactionHandle, work: (scope: UnitOfWorkScope<R>) => Promise<T>): Promise<T> {
    return this.inner.join(tx, work);
  }
}
