import { holdsConnection } from '../../platform/db/connection-guard.js';
import { ConflictError, NotFoundError, UnavailableError, ValidationError } from '../../platform/errors.js';
import type { PaymentView, RefundSteps } from '../contract.js';
import { MAX_REFUND_REASON_LENGTH } from '../domain/refund.entity.js';
import { toView } from './payment.view.js';
import type { PaymentsDeps } from './payments.deps.js';
import { refundAtProvider } from './provider-calls.service.js';

/**
 * Refunds `amount` (all that remains when omitted) of what was captured, in three steps:
 *
 * 1. a transaction reserves the amount under the payment's row lock — concurrent refunds queue on the
 *    lock, and one beyond captured − refunded − reserved is 409 CONFLICT;
 * 2. the provider is asked, outside any transaction, with the refund's id as the idempotency key;
 * 3. a transaction records the answer: refunded → amounts, status, ledger row, `PaymentRefunded`;
 *    refused → 409 CONFLICT; unavailable → 503 UNAVAILABLE. Both release the reservation: nothing
 *    was refunded (a refund the provider made but whose answer was lost is reconciled by its
 *    `payment.refunded` webhook, which names our refund id).
 */
export class RefundPayment {
  constructor(private readonly deps: PaymentsDeps) {}

  async execute(
    orderId: string,
    input: { amount?: number | undefined; reason: string },
    steps: RefundSteps = {},
  ): Promise<PaymentView> {
    if (holdsConnection()) throw new Error('refund() runs its own transactions; call it outside one');
    const reason = typeof input.reason === 'string' ? input.reason.trim() : '';
    if (!reason || [...reason].length > MAX_REFUND_REASON_LENGTH) {
      throw new ValidationError('The refund is invalid; see errors', [
        { path: 'reason', message: `must be 1–${MAX_REFUND_REASON_LENGTH} characters` },
      ]);
    }
    const { payment, refund } = await this.deps.uow.run(async ({ repos, tx }) => {
      await steps.begin?.(tx);
      const locked = await repos.payments.lockByOrder(orderId);
      if (!locked) throw new NotFoundError(`The payment of order ${orderId}`);
      const reserved = locked.requestRefund({ amount: input.amount, reason, at: this.deps.clock.now() });
      await repos.payments.save(locked);
      await steps.reserved?.(tx);
      return { payment: locked, refund: reserved };
    });
    const attempt = await refundAtProvider(this.deps, payment, refund, true, steps.released);
    if (attempt.result === 'unavailable') {
      throw new UnavailableError(
        'The payment provider is unavailable; nothing was refunded, try again later',
      );
    }
    if (attempt.result === 'rejected') {
      throw new ConflictError(`The payment provider refused the refund: ${attempt.reason}`);
    }
    return toView(attempt.payment);
  }
}
