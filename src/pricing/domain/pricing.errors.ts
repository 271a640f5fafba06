import { ConflictError, type FieldError, ValidationError } from '../../platform/errors.js';

/** The pricing engine was given something it cannot price (not an integer, a negative price, ...). */
export class InvalidPricingInputError extends ValidationError {
  constructor(errors: FieldError[]) {
    super('The pricing input is invalid; see errors', errors);
  }
}

/** A line (or shipping) names a tax class the region has no rate for. */
export class UnknownTaxClassError extends ValidationError {
  constructor(errors: FieldError[]) {
    super(
      `No tax rate for the tax class${errors.length > 1 ? 'es' : ''} ${errors.map((e) => e.message).join(', ')}`,
      errors,
    );
  }
}

/** Why a promotion code cannot be used right now. */
export type PromotionRejectionReason =
  | 'unknown'
  | 'not_started'
  | 'expired'
  | 'used_up'
  | 'min_subtotal_not_met';

const REASON_TEXT: Record<PromotionRejectionReason, string> = {
  unknown: 'does not exist',
  not_started: 'is not valid yet',
  expired: 'has expired',
  used_up: 'has reached its usage limit',
  min_subtotal_not_met: 'needs a higher subtotal',
};

/** 409 CONFLICT: the promotion exists no more, not yet, or not for this order. `reason` says which. */
export class PromotionNotApplicableError extends ConflictError {
  constructor(
    readonly promotionCode: string,
    readonly reason: PromotionRejectionReason,
  ) {
    super(`Promotion ${promotionCode} ${REASON_TEXT[reason]} (${reason})`);
  }
}
