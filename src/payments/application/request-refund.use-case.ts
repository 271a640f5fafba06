import type { TransactionHandle } from '../../platform/db/unit-of-work.js';
import { ConflictError, type FieldError, NotFoundError, ValidationError } from '../../platform/errors.js';
import { isUuid } from '../../platform/ids.js';
import type { RefundRequest } from '../contract.js';
import { MAX_PAYMENT_AMOUNT } from '../domain/payment.aggregate.js';
import { MAX_REFUND_REASON_LENGTH } from '../domain/refund.entity.js';
import type { PaymentsDeps } from './payments.deps.js';
import { toRefundView } from './refund.view.js';

/**
 * A refund another context asks for inside its own transaction (returns, at a receipt): under the
 * payment's row lock, a `pending` refund of `amount` — capped at captured − refunded − what refunds in
 * flight reserved — is reserved with the caller's `refundId` (the provider's idempotency key). Once the
 * caller's transaction commits, `refundSoon` makes it at the provider (SettlePayment, outside any
 * transaction); while the provider is unavailable the payments worker tries again with backoff; a
 * refusal releases it, and `refundsOf` tells why.
 *
 * - the same `refundId` again: that refund as it is, whatever its status (`reserved`), nothing new;
 * - nothing captured while a capture may still come (PENDING, AUTHORIZED): `not_captured`;
 * - nothing left to refund (all refunded or reserved; failed, voided, being cancelled): `nothing_refundable`;
 * - 404 when the order has no payment; 400 for a `refundId` that is not a UUID, an amount that is not
 *   1..MAX_PAYMENT_AMOUNT minor units, a reason empty or longer than 500 characters once trimmed;
 *   409 for a `refundId` that another order's payment holds.
 */
export class RequestRefund {
  constructor(
    private readonly deps: PaymentsDeps,
    /** runs once `tx` committed, never when it rolls back */
    private readonly refundSoon: (orderId: string, tx: TransactionHandle) => void,
  ) {}

  execute(
    orderId: string,
    input: { refundId: string; amount: number; reason: string },
    tx: TransactionHandle,
  ): Promise<RefundRequest> {
    const { refundId, amount, reason } = valid(input);
    return this.deps.uow.join(tx, async ({ repos, track }): Promise<RefundRequest> => {
      const payment = await repos.payments.lockByOrder(orderId);
      if (!payment) throw new NotFoundError(`The payment of order ${orderId}`);
      track(payment);
      // read after the lock was granted: sees every refund the previous holder committed
      const [known] = await repos.payments.findRefunds([refundId]);
      if (known) {
        if (known.paymentId !== payment.id) {
          throw new ConflictError(`Refund ${refundId} belongs to the payment of another order`);
        }
        return { outcome: 'reserved', refund: toRefundView(known) };
      }
      if (payment.awaitingCapture) return { outcome: 'not_captured' };
      const refundable = payment.refundableOnRequest;
      if (refundable === 0) return { outcome: 'nothing_refundable' };
      const refund = payment.requestRefund({
        id: refundId,
        amount: Math.min(amount, refundable),
        reason,
        at: this.deps.clock.now(),
      });
      await repos.payments.save(payment);
      this.refundSoon(orderId, tx);
      return {
        outcome: 'reserved',
        refund: toRefundView({
          refund,
          paymentId: payment.id,
          orderId: payment.orderId,
          currency: payment.currency,
          lastFailure: null,
        }),
      };
    });
  }
}

const valid = (input: { refundId: unknown; amount: unknown; reason: unknown }) => {
  const errors: FieldError[] = [];
  const { refundId, amount } = input;
  if (typeof refundId !== 'string' || !isUuid(refundId)) {
    errors.push({ path: 'refundId', message: 'must be a UUID' });
  }
  if (
    typeof amount !== 'number' ||
    !Number.isSafeInteger(amount) ||
    amount <= 0 ||
    amount > MAX_PAYMENT_AMOUNT
  ) {
    errors.push({
      path: 'amount',
      message: `must be an integer amount of minor units from 1 to ${MAX_PAYMENT_AMOUNT}`,
    });
  }
  const reason = typeof input.reason === 'string' ? input.reason.trim() : '';
  if (!reason || [...reason].length > MAX_REFUND_REASON_LENGTH) {
    errors.push({ path: 'reason', message: `must be 1–${MAX_REFUND_REASON_LENGTH} characters` });
  }
  if (errors.length > 0) throw new ValidationError('The refund is invalid; see errors', errors);
  return { refundId: (refundId as string).toLowerCase(), amount: amount as number, reason };
};
