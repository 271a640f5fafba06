import {
  AppError,
  ConflictError,
  type FieldError,
  NotFoundError,
  ValidationError,
} from '../../platform/errors.js';

/** 404: no such return — or one the caller may not see (the same answer: never reveal existence). */
export class ReturnNotFoundError extends NotFoundError {
  constructor() {
    super('Return');
  }
}

/** 404: no such order — or one the caller may not act on (owner or guest email only; never 403). */
export class ReturnOrderNotFoundError extends NotFoundError {
  constructor() {
    super('Order');
  }
}

/**
 * 409 CONFLICT: the request asks for units that cannot come back — the order is not shipped or
 * delivered, nothing (or not that much) of the SKU was delivered, units are already returned or
 * requested, or the return window is closed.
 */
export class ReturnNotAllowedError extends ConflictError {
  constructor(message: string, errors?: FieldError[]) {
    super(message, 'CONFLICT', errors);
  }
}

/** 400 VALIDATION_FAILED: the exchange, or a receipt's lines, break a rule (every offending field named). */
export class ReturnValidationError extends ValidationError {}

/**
 * 409 CONFLICT: an exchange must be received in full — the replacement is placed for what was asked,
 * so a partial parcel cannot be exchanged.
 */
export class PartialExchangeReceiptError extends AppError {
  constructor(number: string) {
    super(
      'CONFLICT',
      `Return ${number} is an exchange: every requested unit must be received before the replacement is placed`,
    );
  }
}

/** A return that breaks a rule only a programming error can break. Not an AppError: a 500, logged. */
export class ReturnInvariantError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ReturnInvariantError';
  }
}

/** 409 OUT_OF_STOCK: the replacement of an exchange cannot be reserved; nothing of the receipt is kept. */
export class ReplacementOutOfStockError extends ConflictError {
  constructor(shortSkus: readonly string[]) {
    super(
      `Not enough stock for the replacement: ${shortSkus.join(', ')}`,
      'OUT_OF_STOCK',
      shortSkus.map((sku) => ({ path: 'exchange', message: `${sku} is out of stock` })),
    );
  }
}

/**
 * 409 CONFLICT: the replacement cannot be placed — an exchange SKU lost its price, or the customer's
 * data (email, address) was erased, so there is nobody to ship it to.
 */
export class ReplacementImpossibleError extends ConflictError {}
