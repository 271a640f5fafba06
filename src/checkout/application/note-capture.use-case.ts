import { PaymentEventTypes, paymentEventV1 } from '../../payments/contract.js';
import type { TransactionHandle } from '../../platform/db/unit-of-work.js';
import type { IntegrationEvent } from '../../platform/messaging/integration-event.js';
import type { CheckoutDeps } from './checkout.deps.js';
import { systemActor } from './place-order.steps.js';

/**
 * The capture of a shipped order's payment, as a note on the order (the view's `notes`):
 * `PaymentCaptureFailed` — the attempt failed and is retried — and `PaymentCaptured`. A failed capture
 * is thus visible to staff on the order, not only in the payments ledger and metrics. A note, not a
 * status-history entry: the order did not move (no `SHIPPED → SHIPPED`), and the view's `payment`
 * already shows what was captured. The same note as the latest one is not repeated (a provider down for
 * an hour leaves one line, not hundreds).
 */
export class NoteCapture {
  constructor(private readonly deps: CheckoutDeps) {}

  async execute(event: IntegrationEvent, tx: TransactionHandle): Promise<void> {
    const data = paymentEventV1.parse(event.data);
    const reason =
      event.type === PaymentEventTypes.PaymentCaptureFailed
        ? `payment capture failed (${data.reason ?? 'unknown'}); retrying`
        : `payment captured: ${data.amount} ${data.currency}`;
    await this.deps.orders.note(data.orderId, { actor: systemActor, reason: reason.slice(0, 500) }, tx);
  }
}
