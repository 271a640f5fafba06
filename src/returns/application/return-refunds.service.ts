import type { TransactionHandle } from '../../platform/db/unit-of-work.js';
import { newId } from '../../platform/ids.js';
import type { Return } from '../domain/return.aggregate.js';
import type { ReturnsDeps } from './returns.deps.js';

/** What asking payments for a return's refund came to. */
export type RefundAttempt = 'reserved' | 'nothing_refundable' | 'not_captured';

/**
 * Asks payments for what the return owes (`refundDue`) inside `tx`, under a new refund id (the
 * provider's idempotency key), and records the outcome on the return: `reserved` — the refund (maybe
 * capped lower) is made once `tx` commits (`payments.settle`, or the payments worker), and the return
 * stays RECEIVED until it succeeded; `nothing_refundable` — everything captured is refunded already:
 * REFUNDED at once with 0 ("nothing left to refund"); `not_captured` — no refund id, the retry worker
 * asks again. Shared by the receipt and the retry worker.
 */
export class ReturnRefunds {
  constructor(private readonly deps: Pick<ReturnsDeps, 'payments'>) {}

  async request(ret: Return, tx: TransactionHandle, now: Date): Promise<RefundAttempt> {
    const refundId = newId();
    const asked = await this.deps.payments.requestRefund(
      ret.orderId,
      { refundId, amount: ret.refundDue ?? 0, reason: `return ${ret.number}` },
      tx,
    );
    switch (asked.outcome) {
      case 'reserved':
        ret.refundRequested(refundId, asked.refund.amount.amount, now);
        return 'reserved';
      case 'nothing_refundable':
        ret.refundRequested(null, 0, now);
        ret.refunded(0, now, 'nothing left to refund');
        return 'nothing_refundable';
      case 'not_captured':
        ret.refundRequested(null, null, now);
        ret.note('the payment is not captured yet: the refund is asked for again later', now);
        return 'not_captured';
    }
  }
}
