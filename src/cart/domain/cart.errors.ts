import { ConflictError, NotFoundError } from '../../platform/errors.js';

/**
 * 404: the cart does not exist, is closed or expired, or belongs to another customer. One answer for
 * all of them, so that a cart id never reveals whether someone else's cart exists.
 */
export class CartNotFoundError extends NotFoundError {
  constructor() {
    super('Cart');
  }
}

/** 404: the cart has no line for this SKU. */
export class CartLineNotFoundError extends NotFoundError {
  constructor(sku: string) {
    super(`Cart line ${sku}`);
  }
}

/** 404: the SKU is unknown to the catalog or its product is not active (draft, archived). */
export class SkuNotAvailableError extends NotFoundError {
  constructor(sku: string) {
    super(`Product variant ${sku}`);
  }
}

/** 409 CONFLICT: the line would hold more than the most a cart line may hold. */
export class LineQuantityLimitError extends ConflictError {
  constructor(sku: string, current: number, max: number) {
    super(`The cart already holds ${current} of ${sku}; a line holds at most ${max}`);
  }
}

/** 409 OUT_OF_STOCK: fewer are available than the line would hold. `errors` names the SKU. */
export class OutOfStockError extends ConflictError {
  constructor(sku: string, available: number, requested: number) {
    super(`Not enough stock of ${sku}: ${available} available, ${requested} requested`, 'OUT_OF_STOCK', [
      { path: 'sku', message: `${sku}: ${available} available, ${requested} requested` },
    ]);
  }
}

/** 409 CONFLICT: a customer's cart takes its email from the account. */
export class CustomerCartEmailError extends ConflictError {
  constructor() {
    super("A customer's cart uses the account's email; only guest carts take one");
  }
}
