import type { TransactionHandle } from '../../platform/db/unit-of-work.js';
import type { NotificationsDeps } from './notifications.deps.js';
import { QueueNotification } from './queue-notification.use-case.js';

export interface IssuedRefund {
  /** the integration event's `ce_id` (PaymentRefunded) */
  eventId: string;
  orderId: string;
  /** the refund, when shopcore asked for it (`refundId` of the event) */
  refundId?: string;
  amount: number;
  currency: string;
}

/**
 * Money went back to the customer (PaymentRefunded, in the consumer's inbox transaction `tx`): the
 * `refund-issued` mail is queued — unless the refund was a return's (returns says so, asked on `tx`):
 * that one is told once, by `return-refunded` with the return's number, not twice. An exchange's
 * price difference is told by `refund-issued` (ReturnExchanged has no mail of its own). One mail per event
 * whatever the redeliveries; true when this call queued it.
 */
export class QueueRefundNotification {
  private readonly queue: QueueNotification;

  constructor(private readonly deps: NotificationsDeps) {
    this.queue = new QueueNotification(deps);
  }

  async execute(refund: IssuedRefund, tx: TransactionHandle): Promise<boolean> {
    // a return's refund is told by return-refunded; an exchange's price difference has no mail but this
    const ret = refund.refundId ? await this.deps.returns.returnOfRefund(refund.refundId, tx) : null;
    if (ret && !ret.exchange) return false;
    return this.queue.execute(
      {
        eventId: refund.eventId,
        template: 'refund-issued',
        orderId: refund.orderId,
        facts: { amount: refund.amount, currency: refund.currency },
      },
      tx,
    );
  }
}
