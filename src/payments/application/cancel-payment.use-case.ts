import type { TransactionHandle } from '../../platform/db/unit-of-work.js';
import type { PaymentView } from '../contract.js';
import { toView } from './payment.view.js';
import type { PaymentsDeps } from './payments.deps.js';

/**
 * The order was cancelled: inside the caller's transaction, a PENDING or AUTHORIZED payment becomes
 * VOID_PENDING; a captured one becomes VOID_PENDING with the refund of what remains reserved. The
 * provider calls are made after the transaction, by SettlePayment (the caller, or the payments
 * worker). Failed, voided, refunded or already cancelled: nothing. Null when the order has no payment.
 */
export class CancelPayment {
  constructor(private readonly deps: PaymentsDeps) {}

  execute(orderId: string, reason: string, tx: TransactionHandle): Promise<PaymentView | null> {
    return this.deps.uow.join(tx, async ({ repos, track }) => {
      const payment = await repos.payments.lockByOrder(orderId);
      if (!payment) return null;
      track(payment);
      if (payment.cancel(reason.trim() || 'order cancelled', this.deps.clock.now())) {
        await repos.payments.save(payment);
      }
      return toView(payment);
    });
  }
}
