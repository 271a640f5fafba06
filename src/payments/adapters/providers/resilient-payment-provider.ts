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
  wrap,
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
  /** consecutive failed calls (after their retries) that open the breaker */
  breakerThreshold: number;
  /** how long the breaker stays open before one trial call (half-open) */
  halfOpenAfterMs: number;
}

export const DEFAULT_RESILIENCE: ResilienceOptions = {
  timeoutMs: 5_000,
  maxAttempts: 3,
  baseDelayMs: 100,
  maxDelayMs: 1_000,
  breakerThreshold: 5,
  halfOpenAfterMs: 30_000,
};

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

const declinedOrRejected = (result: unknown): boolean => {
  const outcome = (result as { outcome?: string } | null)?.outcome;
  return outcome === 'declined' || outcome === 'rejected';
};

/**
 * A payment provider behind cockatiel (ADR 0014, ADR 0019): per call
 *
 * ```
 * circuit breaker (ConsecutiveBreaker(5), open 30 s, then one trial call)
 *   └ retry (3 attempts, exponential backoff with equal jitter, on unavailable only — never on a decline)
 *       └ timeout (5 s per attempt, aggressive: the caller stops waiting; the key makes a late success harmless)
 *           └ the provider
 * ```
 *
 * The breaker counts calls, not attempts: a call whose retry succeeded is a success, a call that
 * failed all its attempts is one failure. While it is open, calls fail at once with
 * {@link ProviderUnavailableError} `circuit_open` without reaching the provider. Every error that
 * leaves is a ProviderUnavailableError (`timeout`, `provider_error`, `outage`, `circuit_open`);
 * declines and rejections are answers and pass through untouched. Webhook verification is local and
 * not wrapped.
 */
export class ResilientPaymentProvider implements PaymentProvider {
  readonly breaker;
  private readonly policy;
  private readonly attemptTimeout;

  constructor(
    private readonly inner: PaymentProvider,
    options: Partial<ResilienceOptions> = {},
    private readonly observer: ResilienceObserver = {},
  ) {
    const o = { ...DEFAULT_RESILIENCE, ...options };
    this.breaker = circuitBreaker(handleWhen(isFailure), {
      halfOpenAfter: o.halfOpenAfterMs,
      breaker: new ConsecutiveBreaker(o.breakerThreshold),
    });
    this.breaker.onStateChange((state) => observer.circuit?.(STATE_NAMES[state]));
    const retry = retryPolicy({
      maxAttempts: o.maxAttempts,
      baseDelayMs: o.baseDelayMs,
      maxDelayMs: o.maxDelayMs,
      retryOn: isFailure,
    });
    this.policy = wrap(this.breaker, retry);
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
    return this.run('authorize', (opts) => this.inner.authorize(request, opts));
  }

  findAuthorization(idempotencyKey: string): Promise<AuthorizationLookup> {
    return this.run('lookup', (opts) => this.inner.findAuthorization(idempotencyKey, opts));
  }

  capture(request: CaptureRequest): Promise<CaptureResult> {
    return this.run('capture', (opts) => this.inner.capture(request, opts));
  }

  void(request: VoidRequest): Promise<VoidResult> {
    return this.run('void', (opts) => this.inner.void(request, opts));
  }

  refund(request: RefundRequest): Promise<RefundResult> {
    return this.run('refund', (opts) => this.inner.refund(request, opts));
  }

  verifyWebhook(rawBody: Uint8Array, headers: WebhookHeaders): WebhookVerification {
    return this.inner.verifyWebhook(rawBody, headers);
  }

  private async run<T>(
    operation: ProviderOperation,
    call: (opts: ProviderCallOptions) => Promise<T>,
  ): Promise<T> {
    try {
      return await this.policy.execute(() => this.attempt(operation, call));
    } catch (err) {
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
