import { ConflictError, NotFoundError, UnavailableError } from '../../platform/errors.js';
import type { PaymentView } from '../contract.js';
import { toView } from './payment.view.js';
import type { PaymentsDeps } from './payments.deps.js';
import { captureAtProvider } from './provider-calls.service.js';

/**
 * Captures the authorized amount now (see `captureAtProvider`, provider-calls.service.ts). Idempotent: a captured payment
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
