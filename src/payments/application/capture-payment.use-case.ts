import {
  ConflictError,
  IllegalStateTransitionError,
  NotFoundError,
  UnavailableError,
} from '../../platform/errors.js';
import type { PaymentView } from '../contract.js';
import { toView } from './payment-view.js';
import type { PaymentsDeps } from './payments.deps.js';
import { callProvider, changePayment, providerOf } from './provider-calls.js';

/**
 * Captures the authorized amount (fulfilment, at the first dispatch): the provider call with the key
 * `<paymentId>:capture`, outside any transaction, then AUTHORIZED → CAPTURED with `PaymentCaptured` in
 * a transaction of its own. Idempotent: a captured payment is returned as it is, and a capture retried
 * after a lost answer gets the provider's first result. 409 ILLEGAL_STATE_TRANSITION unless
 * AUTHORIZED; 409 CONFLICT when the provider refuses it; 503 UNAVAILABLE when the provider is.
 */
export class CapturePayment {
  constructor(private readonly deps: PaymentsDeps) {}

  async execute(orderId: string): Promise<PaymentView> {
    const { deps } = this;
    const payment = await deps.read.run(({ repos }) => repos.payments.findByOrder(orderId));
    if (!payment) throw new NotFoundError(`The payment of order ${orderId}`);
    if (payment.captured > 0) return toView(payment);
    if (payment.status !== 'AUTHORIZED' || !payment.providerRef) {
      throw new IllegalStateTransitionError('Payment', payment.status, 'CAPTURED');
    }
    const reference = payment.providerRef;
    const provider = providerOf(deps, payment);
    const called = await callProvider(() =>
      provider.capture({
        idempotencyKey: payment.captureKey,
        reference,
        amount: payment.authorized,
        currency: payment.currency,
      }),
    );
    const at = deps.clock.now();
    if (!called.ok) {
      deps.metrics.operation('capture', 'unavailable');
      await changePayment(deps, payment.id, (p) => {
        p.recordUnavailable('capture', p.captureKey, p.authorized, called.reason, at);
        return true;
      });
      throw new UnavailableError('The payment provider is unavailable; capture the payment again later');
    }
    const answer = called.value;
    if (answer.outcome === 'rejected') {
      deps.metrics.operation('capture', 'rejected');
      await changePayment(deps, payment.id, (p) => {
        p.recordRejected('capture', p.captureKey, p.authorized, answer.reason, at);
        return true;
      });
      throw new ConflictError(`The payment provider refused the capture: ${answer.reason}`);
    }
    deps.metrics.operation('capture', 'succeeded');
    const captured = await changePayment(deps, payment.id, (p) =>
      p.recordCaptured({ reference: answer.reference, amount: answer.amount, at, source: 'shopcore' }),
    );
    return toView(captured);
  }
}
