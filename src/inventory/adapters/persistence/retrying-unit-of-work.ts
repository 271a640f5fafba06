import type { TransactionHandle, UnitOfWork, UnitOfWorkScope } from '../../../platform/db/unit-of-work.js';

/** Postgres SQLSTATEs that mean "this transaction lost a race; running it again is safe". */
const TRANSIENT = new Set(['40P01' /* deadlock_detected */, '40001' /* serialization_failure */]);

export const transientCode = (err: unknown): string | null => {
  const e = err as { code?: unknown; driverError?: { code?: unknown } } | null;
  const code = e?.code ?? e?.driverError?.code;
  return typeof code === 'string' && TRANSIENT.has(code) ? code : null;
};

export interface RetryOptions {
  attempts?: number;
  /** base backoff in ms; each retry waits a random time up to base × 2^attempt */
  baseDelayMs?: number;
  onRetry?: (code: string, attempt: number) => void;
}

/**
 * Runs inventory's own transactions again after a deadlock or serialization failure, with jittered
 * backoff, so that such errors never reach a caller. `join` (the caller's transaction) is not retried:
 * an aborted transaction can only be retried by whoever opened it.
 */
export class RetryingUnitOfWork<R> implements UnitOfWork<R> {
  constructor(
    private readonly inner: UnitOfWork<R>,
    private readonly opts: RetryOptions = {},
  ) {}

  async run<T>(work: (scope: UnitOfWorkScope<R>) => Promise<T>): Promise<T> {
    const attempts = this.opts.attempts ?? 5;
    const base = this.opts.baseDelayMs ?? 5;
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.inner.run(work);
      } catch (err) {
        const code = transientCode(err);
        if (!code || attempt >= attempts) throw err;
        this.opts.onRetry?.(code, attempt);
        await new Promise((resolve) => setTimeout(resolve, Math.random() * base * 2 ** attempt));
      }
    }
  }

  join<T>(tx: TransactionHandle, work: (scope: UnitOfWorkScope<R>) => Promise<T>): Promise<T> {
    return this.inner.join(tx, work);
  }
}
