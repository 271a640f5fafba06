import {
  ConflictError,
  IllegalStateTransitionError,
  NotFoundError,
  UnavailableError,
} from '../../platform/errors.js';
import type { PaymentView } from '../contract.js';
import type { Payment } from '../domain/payment.aggregate.js';
import { toView } from './payment.view.js';
import type { PaymentsDeps } from './payments.deps.js';
import { callProvider, changePayment, providerOf } from './provider-calls.service.js';

/** What one capture attempt came to, with the payment as recorded afterwards. */
export type CaptureAttempt =
  | { result: 'captured'; payment: Payment }
  | { result: 'unavailable' | 'rejected'; reason: string; payment: Payment };

/**
 * One capture of the authorized amount at the provider — outside any transaction, with the key
 * `<paymentId>:capture`, so a retry after a lost answer gets the provider's first result — then
 * recorded in a transaction of its own: AUTHORIZED → CAPTURED with `PaymentCaptured`, or, when the
 * provider is unavailable or refuses, a ledger row and `PaymentCaptureFailed` (a capture that was
 * asked for stays due for the payments worker).
 */
export const captureAtProvider = async (deps: PaymentsDeps, payment: Payment): Promise<CaptureAttempt> => {
  const reference = payment.providerRef;
  if (payment.status !== 'AUTHORIZED' || !reference) {
    throw new IllegalStateTransitionError('Payment', payment.status, 'CAPTURED');
  }
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
  const failed = async (result: 'unavailable' | 'rejected', reason: string): Promise<CaptureAttempt> => {
    deps.metrics.operation('capture', result);
    const after = await changePayment(deps, payment.id, (p) => {
      p.recordCaptureFailed(result, reason, at);
      return true;
    });
    return { result, reason, payment: after };
  };
  if (!called.ok) return failed('unavailable', called.reason);
  if (called.value.outcome === 'rejected') return failed('rejected', called.value.reason);
  const answer = called.value;
  deps.metrics.operation('capture', 'succeeded');
  const captured = await changePayment(deps, payment.id, (p) =>
    p.recordCaptured({ reference: answer.reference, amount: answer.amount, at, source: 'shopcore' }),
  );
  return { result: 'captured', payment: captured };
};

/**
 * Captures the authorized amount now (see {@link captureAtProvider}). Idempotent: a captured payment
 * is returned as it is. 409 ILLEGAL_STATE_TRANSITION unless AUTHORIZED; 409 CONFLICT when the provider
 * refuses it; 503 UNAVAILABLE when the provider is.
 */
export class CapturePayment {
  constructor(private readonly deps: PaymentsDeps) {}

  async execute(orderId: string): Promise<PaymentView> {
    const payment = await this.deps.read.run(({ repos }) => repos.payments.findByOrder(orderId));
    if (!payment) throw new NotFoundError(`The payment of order ${orderId}`);
    if (payment.captured > 0) return toView(payment);
    const attempt = await captureAtProvider(this.deps, payment);
    if (attempt.result === 'unavailable') {
      throw new UnavailableError('The payment provider is unavailable; capture the payment again later');
    }
    if (attempt.result === 'rejected') {
      throw new ConflictError(`The payment provider refused the capture: ${attempt.reason}`);
    }
    return toView(attempt.payment);
  }
}
