import { ConflictError } from '../../platform/errors.js';

/** A refund above what was captured and not yet refunded (nor reserved by a refund in flight): 409 CONFLICT. */
export class RefundExceedsRefundableError extends ConflictError {
  constructor(
    readonly requested: number,
    readonly refundable: number,
  ) {
    super(
      `A refund of ${requested} exceeds what remains refundable (${refundable}: captured minus refunded and refunds in progress)`,
    );
  }
}

/**
 * A refund of a payment with nothing left to refund: not captured (yet), failed, voided, being
 * cancelled, or everything captured already refunded or being refunded. 409 CONFLICT.
 */
export class NothingToRefundError extends ConflictError {
  constructor(why: string) {
    super(`The payment has nothing to refund: ${why}`);
  }
}
