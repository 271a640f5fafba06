import { KeyedBackoff } from '../../platform/resilience/retry.js';
import type { CheckoutDeps } from './checkout.deps.js';
import { completeAuthorization } from './complete-authorization.service.js';

export interface PendingPaymentOptions {
  /** an order is left to its own request this long before the worker takes it over (ms) */
  graceMs: number;
  /** orders per pass */
  batch: number;
  /** per-order backoff between attempts while the provider stays unavailable */
  baseDelayMs: number;
  maxDelayMs: number;
}

export const DEFAULT_PENDING_PAYMENT_OPTIONS: PendingPaymentOptions = {
  graceMs: 10_000,
  batch: 50,
  baseDelayMs: 1_000,
  maxDelayMs: 60_000,
};

/**
 * The pending-payment worker (docs/product/spec.md step 3): orders left PAYMENT_PENDING — the provider was
 * unavailable, or the process died between authorization and confirmation — are authorized again
 * with the same idempotency key (the provider never authorizes twice) and confirmed or compensated.
 * Each order backs off on its own (timed by the clock port) while the provider stays unavailable; its
 * retries do not keep the provider's breaker open for other shoppers, which counts a payment that
 * fails again only once (ADR 0019). Safe with several instances:
 * completion happens under the order's row lock and only from PAYMENT_PENDING.
 */
export class RetryPendingPayments {
  private readonly complete;
  private readonly backoff;

  constructor(
    private readonly deps: CheckoutDeps,
    private readonly opts: PendingPaymentOptions = DEFAULT_PENDING_PAYMENT_OPTIONS,
  ) {
    this.complete = completeAuthorization(deps);
    this.backoff = new KeyedBackoff<string>({ baseDelayMs: opts.baseDelayMs, maxDelayMs: opts.maxDelayMs });
  }

  /** One pass; returns how many orders it completed (confirmed, declined or expired). */
  async execute(): Promise<number> {
    const now = this.deps.clock.now();
    const ids = await this.deps.orders.idsInStatus(
      'PAYMENT_PENDING',
      new Date(now.getTime() - this.opts.graceMs),
      this.opts.batch,
    );
    let completed = 0;
    for (const orderId of ids) {
      if (this.backoff.waiting(orderId, this.now())) continue;
      try {
        const outcome = await this.deps.payments.requestAuthorization(orderId);
        const { result } = await this.complete(outcome);
        if (result === 'pending') {
          const { delayMs, failures } = this.backoff.failed(orderId, this.now());
          if (outcome.result === 'action_required') {
            // 3-D Secure not answered yet: the provider's webhook completes it; asked again meanwhile
            this.deps.logger.info(
              { orderId, failures, retryInMs: delayMs },
              'payment still pending: waiting for the customer (3-D Secure)',
            );
          } else {
            this.deps.logger.warn(
              { orderId, failures, retryInMs: delayMs },
              'payment still pending: provider unavailable',
            );
          }
        } else {
          this.backoff.succeeded(orderId);
          if (result !== 'settled-elsewhere') {
            completed++;
            this.deps.logger.info({ orderId, result }, 'pending payment completed by the worker');
          }
        }
      } catch (err) {
        // one order that cannot be completed now does not hold up the others
        const { delayMs, failures } = this.backoff.failed(orderId, this.now());
        this.deps.logger.error(
          { orderId, failures, retryInMs: delayMs, err: err instanceof Error ? err.message : String(err) },
          'pending payment could not be completed; retrying later',
        );
      }
    }
    return completed;
  }

  /** the clock port's time (ms), for the per-order backoff */
  private now(): number {
    return this.deps.clock.now().getTime();
  }
}
