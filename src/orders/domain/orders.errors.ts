import { NotFoundError } from '../../platform/errors.js';

/**
 * An order that breaks a rule only a programming error can break (amounts that do not add up the way
 * pricing computes them, an actor without its id). Not an AppError: it is a 500, logged, never a
 * client's 4xx.
 */
export class OrderInvariantError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'OrderInvariantError';
  }
}

/**
 * 404: no such order, or not one the caller may see (another customer's, a guest order without its
 * email). One answer for all of them, so an order id never reveals whether the order exists.
 */
export class OrderNotFoundError extends NotFoundError {
  constructor() {
    super('Order');
  }
}
