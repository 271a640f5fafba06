import type { TransactionHandle } from '../../platform/db/unit-of-work.js';
import type { PaymentView } from '../contract.js';
import { toView } from './payment.view.js';
import type { PaymentsDeps } from './payments.deps.js';

/**
 * The order's first shipment was dispatched: inside the caller's transaction the payment's capture
 * becomes due (AUTHORIZED only; 409 otherwise). Once that transaction commits, `captureSoon` makes it
 * at the provider (SettlePayment, outside any transaction); while it fails, the payments worker tries
 * again with backoff. Asked before, or captured already: nothing. Null when the order has no payment.
 */
export class RequestCapture {
  constructor(
    private readonly deps: PaymentsDeps,
    /** runs once `tx` committed, never when it rolls back */
    private readonly captureSoon: (orderId: string, tx: TransactionHandle) => void,
  ) {}

  execute(orderId: string, tx: TransactionHandle): Promise<PaymentView | null> {
    return this.deps.uow.join(tx, async ({ repos, track }) => {
      const payment = await repos.payments.lockByOrder(orderId);
      if (!payment) return null;
      track(payment);
      if (payment.requestCapture(this.deps.clock.now())) {
        await repos.payments.save(payment);
        this.captureSoon(orderId, tx);
      }
      return toView(payment);
    });
  }
}
