import {
  BrokenCircuitError,
  CircuitState,
  ConsecutiveBreaker,
  circuitBreaker,
  handleWhen,
  IsolatedCircuitError,
  TaskCancelledError,
  TimeoutStrategy,
  timeout,
} from 'cockatiel';
import { retryPolicy } from '../../../platform/resilience/retry.js';
import {
  type AuthorizationLookup,
  type AuthorizeRequest,
  type AuthorizeResult,
  type CaptureRequest,
  type CaptureResult,
  isProviderUnavailable,
  type PaymentProvider,
  type ProviderCallOptions,
  type ProviderOperation,
  ProviderUnavailableError,
  type RefundRequest,
  type RefundResult,
  type VoidRequest,
  type VoidResult,
  type WebhookHeaders,
  type WebhookVerification,
} from '../../application/payment-provider.port.js';

/** The resilience numbers (docs/payments.md, ADR 0019); every one can be set per module for tests. */
export interface ResilienceOptions {
  /** one attempt's budget; more than tok_slow's 2 s */
  timeoutMs: number;
  /** attempts in all per call, retries on unavailable only (timeout, 5xx) */
  maxAttempts: number;
  /** first retry waits between half and all of this (exponential, equal jitter) */
  baseDelayMs: number;
  maxDelayMs: number;
  /** failures in a row (calls after their retries, each key counted once) that open the breaker */
  breakerThreshold: number;
  /** how long the breaker stays open before one trial call (half-open) */
  halfOpenAfterMs: number;
  /**
   * how long a call's key (operation + idempotency key) is remembered as failing after its last
   * failure: its failures meanwhile are repeats, which the breaker does not count
   */
  repeatWindowMs: number;
}

export const DEFAULT_RESILIENCE: ResilienceOptions = {
  timeoutMs: 5_000,
  maxAttempts: 3,
  baseDelayMs: 100,
  maxDelayMs: 1_000,
  breakerThreshold: 5,
  halfOpenAfterMs: 30_000,
  repeatWindowMs: 3_600_000,
};

/** The most keys remembered as failing; beyond it the oldest is forgotten (its next failure counts again). */
export const REPEAT_MEMORY_MAX_KEYS = 10_000;

export type CircuitStateName = 'closed' | 'half_open' | 'open';
/** one attempt at the provider: an answer (approved, or a decline/rejection), a failure (5xx), or our timeout */
export type AttemptOutcome = 'success' | 'declined' | 'unavailable' | 'timeout';

/** What the resilience reports (metrics in payments.plugin.ts). */
export interface ResilienceObserver {
  attempt?(operation: ProviderOperation, outcome: AttemptOutcome, seconds: number): void;
  circuit?(state: CircuitStateName): void;
}

const STATE_NAMES: Record<CircuitState, CircuitStateName> = {
  [CircuitState.Closed]: 'closed',
  [CircuitState.HalfOpen]: 'half_open',
  [CircuitState.Open]: 'open',
  [CircuitState.Isolated]: 'open',
};

/** A failure worth another attempt and counted by the breaker: the provider unavailable, or our timeout. */
const isFailure = (err: unknown): boolean => isProviderUnavailable(err) || err instanceof TaskCancelledError;

/**
 * The keys of calls that failed and have not succeeded since — the memory that makes a call that
 * fails again a repeat. A key is forgotten `windowMs` after its last failure, on its success, or
 * (oldest first) when more than `maxKeys` are remembered.
 */
export class RepeatedFailures {
  /** key → time (ms) of its last failure, least recently failed first */
  private readonly lastFailed = new Map<string, number>();

  constructor(
    private readonly windowMs: number,
    private readonly maxKeys = REPEAT_MEMORY_MAX_KEYS,
  ) {}

  /** Records a failure of `key` at `now` (ms): false for its first, true for a repeat. */
  failed(key: string, now: number): boolean {
    this.forgetOlderThan(now - this.windowMs);
    const repeat = this.lastFailed.delete(key);
    this.lastFailed.set(key, now);
    if (this.lastFailed.size > this.maxKeys) {
      const oldest = this.lastFailed.keys().next();
      if (!oldest.done) this.lastFailed.delete(oldest.value);
    }
    return repeat;
  }

  succeeded(key: string): void {
    this.lastFailed.delete(key);
  }

  get size(): number {
    return this.lastFailed.size;
  }

  private forgetOlderThan(cutoff: number): void {
    for (const [key, at] of this.lastFailed) {
      if (at > cutoff) return;
      this.lastFailed.delete(key);
    }
  }
}

/** A repeat failure on its way through the breaker, which does not count it (not a failure it handles). */
class RepeatedFailure extends Error {
  constructor(readonly failure: unknown) {
    super('a call that failed before failed again');
    this.name = 'RepeatedFailure';
  }
}

const declinedOrRejected = (result: unknown): boolean => {
  const outcome = (result as { outcome?: string } | null)?.outcome;
  return outcome === 'declined' || outcome === 'rejected';
};

/**
 * A payment provider behind cockatiel (ADR 0014, ADR 0019): per call
 *
 * ```
 * circuit breaker (ConsecutiveBreaker(5) of first failures, open 30 s, then one trial call)
 *   └ repeats (a key that failed before and fails again: not counted)
 *       └ retry (3 attempts, exponential backoff with equal jitter, on unavailable only — never on a decline)
 *           └ timeout (5 s per attempt, aggressive: the caller stops waiting; the key makes a late success harmless)
 *               └ the provider
 * ```
 *
 * The breaker counts calls, not attempts: a call whose retry succeeded is a success, a call that
 * failed all its attempts is one failure — if its key (operation + idempotency key) has not failed
 * already. A call that fails again with a key that failed before (within `repeatWindowMs` of its
 * last failure, with no success since) is a repeat: the caller gets the failure, the breaker counts
 * nothing, so one payment the provider keeps failing — a pending-payment worker retrying it, a PSP
 * that replays a stored 5xx for its key — counts once, and only failures of different calls open
 * the breaker. A repeat that is the half-open trial proves nothing: cockatiel closes the breaker
 * (an error it does not handle), but the count that opened it stays, so the next first failure
 * opens it again and the next success clears it.
 *
 * While it is open, calls fail at once with {@link ProviderUnavailableError} `circuit_open` without
 * reaching the provider. Every error that leaves is a ProviderUnavailableError (`timeout`,
 * `provider_error`, `outage`, `circuit_open`); declines and rejections are answers and pass through
 * untouched. Webhook verification is local and not wrapped.
 */
export class ResilientPaymentProvider implements PaymentProvider {
  readonly breaker;
  private readonly retry;
  private readonly attemptTimeout;
  private readonly repeats;

  constructor(
    private readonly inner: PaymentProvider,
    options: Partial<ResilienceOptions> = {},
    private readonly observer: ResilienceObserver = {},
  ) {
    const o = { ...DEFAULT_RESILIENCE, ...options };
    // a RepeatedFailure is not handled: the breaker neither counts it nor resets on it
    this.breaker = circuitBreaker(handleWhen(isFailure), {
      halfOpenAfter: o.halfOpenAfterMs,
      breaker: new ConsecutiveBreaker(o.breakerThreshold),
    });
    this.breaker.onStateChange((state) => observer.circuit?.(STATE_NAMES[state]));
    this.retry = retryPolicy({
      maxAttempts: o.maxAttempts,
      baseDelayMs: o.baseDelayMs,
      maxDelayMs: o.maxDelayMs,
      retryOn: isFailure,
    });
    this.repeats = new RepeatedFailures(o.repeatWindowMs);
    this.attemptTimeout = timeout(o.timeoutMs, TimeoutStrategy.Aggressive);
    observer.circuit?.('closed');
  }

  get name(): string {
    return this.inner.name;
  }

  /** closed, half_open or open */
  get circuitState(): CircuitStateName {
    return STATE_NAMES[this.breaker.state];
  }

  acceptsToken(token: string): boolean {
    return this.inner.acceptsToken(token);
  }

  authorize(request: AuthorizeRequest): Promise<AuthorizeResult> {
    return this.run('authorize', request.idempotencyKey, (opts) => this.inner.authorize(request, opts));
  }

  findAuthorization(idempotencyKey: string): Promise<AuthorizationLookup> {
    return this.run('lookup', idempotencyKey, (opts) => this.inner.findAuthorization(idempotencyKey, opts));
  }

  capture(request: CaptureRequest): Promise<CaptureResult> {
    return this.run('capture', request.idempotencyKey, (opts) => this.inner.capture(request, opts));
  }

  void(request: VoidRequest): Promise<VoidResult> {
    return this.run('void', request.idempotencyKey, (opts) => this.inner.void(request, opts));
  }

  refund(request: RefundRequest): Promise<RefundResult> {
    return this.run('refund', request.idempotencyKey, (opts) => this.inner.refund(request, opts));
  }

  verifyWebhook(rawBody: Uint8Array, headers: WebhookHeaders): WebhookVerification {
    return this.inner.verifyWebhook(rawBody, headers);
  }

  private async run<T>(
    operation: ProviderOperation,
    idempotencyKey: string,
    call: (opts: ProviderCallOptions) => Promise<T>,
  ): Promise<T> {
    const key = `${operation}:${idempotencyKey}`;
    try {
      return await this.breaker.execute(async ({ signal }) => {
        try {
          const result = await this.retry.execute(() => this.attempt(operation, call), signal);
          this.repeats.succeeded(key);
          return result;
        } catch (err) {
          // decided when the call ends (Date.now(), the breaker's clock), so that of two concurrent
          // calls with one key the first to fail counts and the other is a repeat
          if (isFailure(err) && this.repeats.failed(key, Date.now())) throw new RepeatedFailure(err);
          throw err;
        }
      });
    } catch (thrown) {
      const err = thrown instanceof RepeatedFailure ? thrown.failure : thrown;
      if (err instanceof ProviderUnavailableError) throw err;
      if (err instanceof TaskCancelledError) {
        throw new ProviderUnavailableError(
          'timeout',
          `payment provider did not answer a ${operation} in time`,
        );
      }
      if (err instanceof BrokenCircuitError || err instanceof IsolatedCircuitError) {
        throw new ProviderUnavailableError('circuit_open', 'payment provider circuit breaker is open');
      }
      throw err;
    }
  }

  /** One attempt under the timeout, timed for the latency histogram. */
  private async attempt<T>(
    operation: ProviderOperation,
    call: (opts: ProviderCallOptions) => Promise<T>,
  ): Promise<T> {
    const started = performance.now();
    const seconds = () => (performance.now() - started) / 1000;
    try {
      const result = await this.attemptTimeout.execute(({ signal }) => call({ signal }));
      this.observer.attempt?.(operation, declinedOrRejected(result) ? 'declined' : 'success', seconds());
      return result;
    } catch (err) {
      if (err instanceof TaskCancelledError) this.observer.attempt?.(operation, 'timeout', seconds());
      else if (isProviderUnavailable(err)) this.observer.attempt?.(operation, 'unavailable', seconds());
      throw err;
    }
  }
}
