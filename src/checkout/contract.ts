/**
 * The checkout context's public surface: what it offers besides its routes — benchmarks and tests
 * drive the saga directly. Checkout owns no tables and publishes no events of its own; it reaches the
 * other contexts through their facades (docs/product/spec.md checkout saga).
 */
import type { AnswerCheckpoint } from '../platform/db/answer-checkpoint.js';
import type { PlaceOrderRequest } from './application/place-order.steps.js';
import type { PlacedOrder } from './application/place-order.use-case.js';

export type { PlacedOrder, PlaceOrderRequest };

export interface CheckoutFacade {
  /** `POST /api/v1/orders` without HTTP: 201 CONFIRMED, or 202 PAYMENT_PENDING (PlaceOrder) */
  placeOrder(request: PlaceOrderRequest, checkpoint?: AnswerCheckpoint<PlacedOrder>): Promise<PlacedOrder>;
  /** one pass of the pending-payment worker; returns how many orders it completed */
  retryPendingPayments(): Promise<number>;
  /**
   * The provider announced that the order's authorization went on (3-D Secure answered or given up):
   * asks it again and confirms or compensates the order, if it is still PAYMENT_PENDING (CompletePayment)
   */
  completePayment(orderId: string): Promise<void>;
}
