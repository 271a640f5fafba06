import { IllegalStateTransitionError, NotFoundError } from '../../platform/errors.js';
import { newId } from '../../platform/ids.js';
import type { AuthorizationOutcome } from '../contract.js';
import type { PaymentsDeps } from './payments.deps.js';
import { callProvider, providerOf } from './provider-calls.service.js';

/**
 * Asks the provider to authorize the order's payment — outside any transaction, through the
 * resilience around the provider, with the key `<paymentId>:authorize`, so asking again (a retry, a
 * worker after a crash, a concurrent duplicate) never authorizes twice: the provider answers the
 * same key with its first result. Records nothing: the caller records the outcome in its own
 * transaction (RecordAuthorization).
 *
 * A payment that is authorized already answers `authorized` (and a failed one `declined`) without a
 * call. A cancelled payment is 409 ILLEGAL_STATE_TRANSITION: it is not to be authorized any more.
 */
export class RequestAuthorization {
  constructor(private readonly deps: PaymentsDeps) {}

  async execute(orderId: string): Promise<AuthorizationOutcome> {
    const payment = await this.deps.read.run(({ repos }) => repos.payments.findByOrder(orderId));
    if (!payment) throw new NotFoundError(`The payment of order ${orderId}`);
    const ids = { paymentId: payment.id, orderId, attemptId: newId() };
    if (payment.status === 'VOID_PENDING' || payment.status === 'VOIDED') {
      throw new IllegalStateTransitionError('Payment', payment.status, 'AUTHORIZED');
    }
    if (payment.status === 'FAILED') {
      return { result: 'declined', ...ids, reason: payment.failureReason ?? 'declined' };
    }
    if (payment.status !== 'PENDING' && payment.providerRef) {
      return {
        result: 'authorized',
        ...ids,
        providerRef: payment.providerRef,
        brand: payment.brand ?? '',
        last4: payment.last4 ?? '',
      };
    }
    const provider = providerOf(this.deps, payment);
    const called = await callProvider(() =>
      provider.authorize({
        idempotencyKey: payment.authorizeKey,
        paymentId: payment.id,
        orderId,
        token: payment.token,
        amount: payment.amount,
        currency: payment.currency,
      }),
    );
    if (!called.ok) {
      this.deps.metrics.operation('authorize', 'unavailable');
      this.deps.logger.warn(
        { paymentId: payment.id, orderId, reason: called.reason },
        'payment provider unavailable for an authorization',
      );
      return { result: 'unavailable', ...ids, reason: called.reason };
    }
    const answer = called.value;
    if (answer.outcome === 'declined') {
      this.deps.metrics.operation('authorize', 'declined');
      return { result: 'declined', ...ids, reason: answer.reason };
    }
    if (answer.outcome === 'action_required') {
      this.deps.metrics.operation('authorize', 'action_required');
      return {
        result: 'action_required',
        ...ids,
        providerRef: answer.reference,
        nextAction: answer.nextAction,
      };
    }
    this.deps.metrics.operation('authorize', 'succeeded');
    return {
      result: 'authorized',
      ...ids,
      providerRef: answer.reference,
      brand: answer.brand,
      last4: answer.last4,
    };
  }
}
