import type { PaymentsDeps } from './payments.deps.js';
import type { SettlePayment } from './settle-payment.use-case.js';

/** Backoff per payment (platform/resilience/retry.ts `KeyedBackoff`). */
export interface SettlementBackoff {
  waiting(key: string, now: number): boolean;
  failed(key: string, now: number): unknown;
  succeeded(key: string): void;
}

export interface SettleDueOptions {
  /** provider calls left due for longer than this are the worker's (the caller settles at once; ms) */
  settleAfterMs: number;
  /** payments per pass */
  batch: number;
  backoff: SettlementBackoff;
}

/**
 * One pass of the payments worker: every payment with provider calls due (a capture asked for at
 * dispatch, a void, a cancelled capture's refund, a refund whose process died) that nobody settled within `settleAfterMs` is
 * settled; a payment that is still due afterwards (provider unavailable, a call rejected) waits a
 * growing, jittered backoff before the next try. Several instances may run it at once: the
 * idempotency keys make each provider call happen at most once.
 */
export class SettleDuePayments {
  constructor(
    private readonly deps: PaymentsDeps,
    private readonly settle: SettlePayment,
    private readonly opts: SettleDueOptions,
  ) {}

  async execute(): Promise<{ settled: string[]; due: string[] }> {
    const now = this.deps.clock.now();
    const orderIds = await this.deps.read.run(({ repos }) =>
      repos.payments.dueForSettlement(new Date(now.getTime() - this.opts.settleAfterMs), this.opts.batch),
    );
    const settled: string[] = [];
    const due: string[] = [];
    for (const orderId of orderIds) {
      if (this.opts.backoff.waiting(orderId, this.deps.clock.now().getTime())) {
        due.push(orderId);
        continue;
      }
      try {
        const { done } = await this.settle.execute(orderId);
        if (done) {
          this.opts.backoff.succeeded(orderId);
          settled.push(orderId);
        } else {
          this.opts.backoff.failed(orderId, this.deps.clock.now().getTime());
          due.push(orderId);
        }
      } catch (err) {
        this.opts.backoff.failed(orderId, this.deps.clock.now().getTime());
        due.push(orderId);
        this.deps.logger.error({ err, orderId }, 'settling a payment failed; retrying later');
      }
    }
    return { settled, due };
  }
}
