import { AppError, ConflictError } from '../../platform/errors.js';

/** 402 PAYMENT_DECLINED: the provider declined; the order is CANCELLED and its stock released. */
export class PaymentDeclinedError extends AppError {
  constructor(
    readonly orderId: string,
    reason: string,
  ) {
    super('PAYMENT_DECLINED', `The payment was declined (${reason}); the order is cancelled`);
    this.extensions = { orderId };
  }
}

/** 409 CONFLICT: the cart cannot be ordered yet (no items, no shipping, no email on a guest cart). */
export class CartNotReadyError extends ConflictError {
  constructor(missing: string[]) {
    super(`The cart cannot be ordered yet: it needs ${missing.join(', ')}`);
  }
}

/** 409 CONFLICT: lines whose product left the catalog, is not active, or has no price in this region. */
export class CartItemsUnavailableError extends ConflictError {
  constructor(skus: string[]) {
    super(`These items cannot be bought now: ${skus.join(', ')}; remove them from the cart`);
  }
}

/** 409 OUT_OF_STOCK: the short SKUs are listed in `errors` (docs/product/api.md). */
export class OrderOutOfStockError extends ConflictError {
  constructor(shortSkus: readonly string[]) {
    super(
      `Not enough stock for ${shortSkus.join(', ')}`,
      'OUT_OF_STOCK',
      shortSkus.map((sku) => ({ path: 'sku', message: `${sku} is out of stock` })),
    );
  }
}

/** 409 CONFLICT: the stock reservation expired while the payment was being authorized; the order is cancelled. */
export class ReservationExpiredError extends ConflictError {
  constructor(readonly orderId: string) {
    super('The stock reservation expired before the payment was confirmed; the order is cancelled');
    this.extensions = { orderId };
  }
}

/** 409 CONFLICT: the order was cancelled (by its owner, an admin or the expiry) while it was being placed. */
export class OrderCancelledMeanwhileError extends ConflictError {
  constructor(readonly orderId: string) {
    super('The order was cancelled while its payment was being authorized');
    this.extensions = { orderId };
  }
}

/** 409 CONFLICT: the cart's coupon stopped applying (used up, expired, minimum not met) since it was added. */
export class CouponNoLongerAppliesError extends ConflictError {
  constructor(code: string, reason: string) {
    super(`The coupon ${code} no longer applies (${reason}); remove it from the cart or try another`);
  }
}

/** 409 ILLEGAL_STATE_TRANSITION: a shipment of the order left the warehouse; refund it instead of cancelling. */
export class OrderDispatchedError extends AppError {
  constructor(orderNumber: string) {
    super(
      'ILLEGAL_STATE_TRANSITION',
      `Order ${orderNumber} cannot be cancelled: a shipment of it was dispatched (refund it instead)`,
    );
  }
}
