import type { PaymentView } from '../contract.js';
import type { Payment } from '../domain/payment.aggregate.js';
import { toView } from './payment.view.js';
import type { PaymentsDeps } from './payments.deps.js';
import {
  callProvider,
  captureAtProvider,
  changePayment,
  providerOf,
  refundAtProvider,
} from './provider-calls.service.js';

export interface Settlement {
  view: PaymentView | null;
  /** no provider call is due any more */
  done: boolean;
}

/**
 * Makes the provider calls due for the order — a capture asked for at dispatch, or what a cancellation
 * (or a refund left in flight) scheduled — now, outside any transaction, each one with its derived
 * idempotency key, so running this twice, or on two instances at once, does each at most once at the
 * provider:
 *
 * - a capture asked for is made (`<paymentId>:capture`); an unavailable or refusing provider records
 *   `PaymentCaptureFailed` and leaves it due for the next attempt;
 * - refunds reserved (a cancelled capture's, or an admin refund whose process died) are made; an
 *   unavailable provider leaves them reserved for the next attempt;
 * - a cancelled capture with nothing in flight gets the refund of what remains reserved;
 * - a cancelled authorization is voided (`<paymentId>:void`); one whose authorization was never
 *   answered (cancelled while PENDING) is first looked up at the provider by `<paymentId>:authorize`:
 *   an authorization found is recorded and voided, none found closes the payment as VOIDED.
 */
export class SettlePayment {
  constructor(private readonly deps: PaymentsDeps) {}

  async execute(orderId: string): Promise<Settlement> {
    let payment = await this.deps.read.run(({ repos }) => repos.payments.findByOrder(orderId));
    if (!payment) return { view: null, done: true };
    if (!payment.needsSettlement) return { view: toView(payment), done: true };

    if (payment.captureDue) {
      const attempt = await captureAtProvider(this.deps, payment);
      if (attempt.result !== 'captured') {
        this.deps.logger.warn(
          { paymentId: payment.id, orderId, result: attempt.result, reason: attempt.reason },
          'payment capture failed; it stays due and is retried',
        );
      }
      return { view: toView(attempt.payment), done: !attempt.payment.needsSettlement };
    }

    if (payment.status === 'VOID_PENDING' && payment.captured > 0 && payment.pendingRefunds.length === 0) {
      const at = this.deps.clock.now();
      payment = await changePayment(this.deps, payment.id, (p) => {
        const before = p.status;
        return p.continueCancellationRefund(at) !== null || p.status !== before;
      });
    }
    for (const refund of payment.pendingRefunds) {
      payment = (await refundAtProvider(this.deps, payment, refund, false)).payment;
    }
    if (payment.status === 'VOID_PENDING' && payment.captured === 0) payment = await this.void(payment);
    return { view: toView(payment), done: !payment.needsSettlement };
  }

  private async void(initial: Payment): Promise<Payment> {
    const { deps } = this;
    const provider = providerOf(deps, initial);
    let payment = initial;
    let reference = payment.providerRef;
    if (!reference) {
      const found = await callProvider(() => provider.findAuthorization(payment.authorizeKey));
      const at = deps.clock.now();
      if (!found.ok) return this.unavailable(payment, found.reason);
      const lookup = found.value;
      if (lookup.outcome === 'none') {
        deps.metrics.operation('void', 'succeeded');
        return changePayment(deps, payment.id, (p) =>
          p.recordVoided({ reference: null, at, source: 'shopcore' }),
        );
      }
      if (lookup.outcome === 'declined') {
        return changePayment(deps, payment.id, (p) => p.recordDeclined(lookup.reason, at));
      }
      if (lookup.outcome === 'action_required') {
        // still waiting for the customer (3-D Secure): nothing authorized, the attempt is cancelled
        reference = lookup.reference;
      } else {
        payment = await changePayment(deps, payment.id, (p) =>
          p.recordAuthorized({
            reference: lookup.reference,
            amount: lookup.amount,
            brand: lookup.brand,
            last4: lookup.last4,
            at,
          }),
        );
        reference = lookup.reference;
        if (payment.status !== 'VOID_PENDING' || payment.captured > 0) return payment;
      }
    }
    const ref = reference;
    const called = await callProvider(() =>
      provider.void({ idempotencyKey: payment.voidKey, reference: ref }),
    );
    const at = deps.clock.now();
    if (!called.ok) return this.unavailable(payment, called.reason);
    const answer = called.value;
    if (answer.outcome === 'rejected') {
      deps.metrics.operation('void', 'rejected');
      deps.logger.error(
        { paymentId: payment.id, reason: answer.reason },
        'payment provider rejected a void; retrying later (check the payment at the provider)',
      );
      return changePayment(deps, payment.id, (p) => {
        p.recordRejected('void', p.voidKey, p.authorized, answer.reason, at);
        return true;
      });
    }
    deps.metrics.operation('void', 'succeeded');
    return changePayment(deps, payment.id, (p) =>
      p.recordVoided({ reference: answer.reference, at, source: 'shopcore' }),
    );
  }

  private unavailable(payment: Payment, reason: string): Promise<Payment> {
    const at = this.deps.clock.now();
    this.deps.metrics.operation('void', 'unavailable');
    return changePayment(this.deps, payment.id, (p) => {
      p.recordUnavailable('void', p.voidKey, p.authorized, reason, at);
      return true;
    });
  }
}
