import {
  ExponentialBackoff,
  halfJitterGenerator,
  handleWhen,
  type IBackoff,
  type RetryPolicy,
  retry,
} from 'cockatiel';

/**
 * The one retry-with-backoff of shopcore, on cockatiel (ADR 0014): exponential backoff with "equal
 * jitter" — each wait is between half and all of min(max, base · 2^(n−1)) — so that callers that
 * failed together do not come back together. Used by transactions that lost a race (deadlock,
 * serialization failure), event handlers, the Kafka consumers' database-outage hold, the outbox
 * relay's per-shard back-off, and (checkout) the payment provider calls.
 */
export interface BackoffOptions {
  /** the first wait's ceiling, ms */
  baseDelayMs: number;
  /** no wait is longer than this, ms */
  maxDelayMs: number;
}

export interface RetryOptions extends BackoffOptions {
  /** attempts in all, the first one included (1 = no retry) */
  maxAttempts: number;
  /** whether an error is worth another attempt; any other error is thrown at once */
  retryOn: (err: unknown) => boolean;
  /** before each wait: the error, the attempt that failed (1-based) and the wait */
  onRetry?: (info: { err: unknown; attempt: number; delayMs: number }) => void;
}

/** Exponential backoff with equal jitter (cockatiel's half-jitter generator). */
export const exponentialBackoff = ({ baseDelayMs, maxDelayMs }: BackoffOptions): ExponentialBackoff<number> =>
  new ExponentialBackoff({ generator: halfJitterGenerator, initialDelay: baseDelayMs, maxDelay: maxDelayMs });

/**
 * A retry policy: `policy.execute(({ attempt }) => work())` runs `work` up to `maxAttempts` times while
 * it throws errors that `retryOn` accepts, waiting the backoff in between; the last error is thrown.
 */
export const retryPolicy = (opts: RetryOptions): RetryPolicy => {
  const policy = retry(
    handleWhen((err) => opts.retryOn(err)),
    { maxAttempts: Math.max(0, Math.floor(opts.maxAttempts) - 1), backoff: exponentialBackoff(opts) },
  );
  if (opts.onRetry) {
    const onRetry = opts.onRetry;
    policy.onRetry((event) => {
      if ('error' in event) onRetry({ err: event.error, attempt: event.attempt, delayMs: event.delay });
    });
  }
  return policy;
};

/**
 * The wait before the `attempt`-th retry (1-based) of the backoff, for loops that wait on their own
 * terms (heartbeating while they wait, say) instead of through a policy.
 */
export const backoffDelay = (attempt: number, opts: BackoffOptions): number => {
  let step: IBackoff<unknown> = exponentialBackoff(opts).next();
  for (let i = 1; i < attempt; i++) step = step.next(undefined);
  return step.duration;
};

/**
 * Backoff per key for loops that fail now and try again on a later pass (the outbox relay's shards):
 * each failure of a key waits longer than the one before, a success forgets the key.
 */
export class KeyedBackoff<K> {
  private readonly state = new Map<K, { step: IBackoff<unknown>; failures: number; until: number }>();
  private readonly factory: ExponentialBackoff<number>;

  constructor(opts: BackoffOptions) {
    this.factory = exponentialBackoff(opts);
  }

  /** Records a failure at `now` (ms); returns the wait before the key should be tried again. */
  failed(key: K, now: number): { delayMs: number; failures: number } {
    const previous = this.state.get(key);
    const step = previous ? previous.step.next(undefined) : this.factory.next();
    const failures = (previous?.failures ?? 0) + 1;
    this.state.set(key, { step, failures, until: now + step.duration });
    return { delayMs: step.duration, failures };
  }

  succeeded(key: K): void {
    this.state.delete(key);
  }

  /** true while the wait after the key's last failure has not passed. */
  waiting(key: K, now: number): boolean {
    return (this.state.get(key)?.until ?? 0) > now;
  }
}
