import { stateMachine } from '../../platform/domain/state-machine.js';

/**
 * The statuses of an order (docs/product/spec.md "Order state machine"), in the order of the happy path; the
 * contract (`contract.ts` ORDER_STATUSES) publishes this list.
 */
export const ORDER_STATUS_VALUES = [
  'CREATED',
  'PAYMENT_PENDING',
  'PAYMENT_AUTHORIZED',
  'CONFIRMED',
  'PROCESSING',
  'SHIPPED',
  'DELIVERED',
  'COMPLETED',
  'CANCELLED',
] as const;
export type OrderStatus = (typeof ORDER_STATUS_VALUES)[number];

/**
 * The transition table. The happy path of docs/product/spec.md, cancellation from every status before dispatch,
 * and one shortcut: **CONFIRMED → SHIPPED**. PROCESSING ("picking has started") is an operational
 * stage that nothing later depends on, so fulfilment may dispatch a CONFIRMED order directly (a
 * dispatch reported before, or without, a pick); PAYMENT_AUTHORIZED, by contrast, is a gate (the money
 * is secured) and cannot be skipped. SHIPPED and later cannot be cancelled: refunds, not cancellation,
 * undo what was dispatched. COMPLETED and CANCELLED are final. Staying in a status is not a move.
 */
export const ORDER_TRANSITIONS = {
  CREATED: ['PAYMENT_PENDING', 'CANCELLED'],
  PAYMENT_PENDING: ['PAYMENT_AUTHORIZED', 'CANCELLED'],
  PAYMENT_AUTHORIZED: ['CONFIRMED', 'CANCELLED'],
  CONFIRMED: ['PROCESSING', 'SHIPPED', 'CANCELLED'],
  PROCESSING: ['SHIPPED', 'CANCELLED'],
  SHIPPED: ['DELIVERED'],
  DELIVERED: ['COMPLETED'],
  COMPLETED: [],
  CANCELLED: [],
} as const satisfies { readonly [S in OrderStatus]: readonly OrderStatus[] };

/** An illegal move throws IllegalStateTransitionError (409 ILLEGAL_STATE_TRANSITION): "Order cannot move from X to Y". */
export const orderStates = stateMachine<OrderStatus>('Order', ORDER_TRANSITIONS);

export const isOrderStatus = (value: string): value is OrderStatus =>
  (ORDER_STATUS_VALUES as readonly string[]).includes(value);
