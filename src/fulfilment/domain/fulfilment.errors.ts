import { AppError, NotFoundError } from '../../platform/errors.js';

/** 404: no such shipment. */
export class ShipmentNotFoundError extends NotFoundError {
  constructor() {
    super('Shipment');
  }
}

/**
 * A shipment that breaks a rule only a programming error can break (no lines, a quantity below one).
 * Not an AppError: a 500, logged.
 */
export class ShipmentInvariantError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ShipmentInvariantError';
  }
}

/**
 * 409 ILLEGAL_STATE_TRANSITION: a warehouse step on a shipment whose order cannot ship (it was
 * cancelled, or is not confirmed).
 */
export class OrderNotShippableError extends AppError {
  constructor(orderNumber: string, orderStatus: string) {
    super(
      'ILLEGAL_STATE_TRANSITION',
      `Order ${orderNumber} is ${orderStatus}: its shipments cannot move on (they are cancelled with it)`,
    );
  }
}

/** 409 CONFLICT: the order's shipping address was erased (GDPR): there is nowhere to send the parcel. */
export class ShippingAddressErasedError extends AppError {
  constructor(orderNumber: string) {
    super(
      'CONFLICT',
      `Order ${orderNumber} has no shipping address any more (the customer's data was erased): it cannot be dispatched; cancel or refund it`,
    );
  }
}
