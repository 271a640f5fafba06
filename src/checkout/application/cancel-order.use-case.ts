import type { OrderActor, OrderView } from '../../orders/contract.js';
import type { AnswerCheckpoint } from '../../platform/db/answer-checkpoint.js';
import { compensateSteps } from '../../platform/domain/saga.js';
import { IllegalStateTransitionError, NotFoundError } from '../../platform/errors.js';
import { OrderDispatchedError } from '../domain/checkout.errors.js';
import type { CheckoutDeps } from './checkout.deps.js';
import { settleQuietly } from './complete-authorization.service.js';
import { CANCELLABLE, placeOrderSteps } from './place-order.steps.js';

/** Who asks to cancel: the order's customer, or an admin. */
export interface CancelRequest {
  orderId: string;
  userId: string;
  isAdmin: boolean;
  reason?: string;
}

/**
 * `POST /api/v1/orders/:id/cancel`, by the owner or an admin, allowed before dispatch (409 once a
 * shipment left the warehouse; its pending shipments are cancelled by fulfilment on `OrderCancelled`): in one
 * transaction under the order's lock, the payment is marked to be voided (or refunded once captured),
 * the stock released, the coupon's use given back and the order CANCELLED; then the provider is
 * asked to void now (the payments worker retries if it cannot). Each step is idempotent.
 * `checkpoint` records the cancelled order as the answer in that transaction (ADR 0009): the void
 * after it is the payments worker's if this request cannot make it.
 */
export class CancelOrder {
  private readonly steps;

  constructor(private readonly deps: CheckoutDeps) {
    this.steps = placeOrderSteps(deps);
  }

  async execute(request: CancelRequest, checkpoint?: AnswerCheckpoint<OrderView>): Promise<OrderView> {
    const actor: OrderActor = request.isAdmin
      ? { kind: 'admin', id: request.userId }
      : { kind: 'customer', id: request.userId };
    const reason =
      request.reason?.trim() || (request.isAdmin ? 'cancelled by an admin' : 'cancelled by the customer');
    await this.deps.uow.run(async ({ tx }) => {
      await checkpoint?.claim(tx);
      const order = await this.deps.orders.get(request.orderId, tx);
      // another customer's order is not found, as if it did not exist (docs/product/api.md)
      if (!order || (!request.isAdmin && order.customerId !== request.userId))
        throw new NotFoundError('Order');
      if (!CANCELLABLE.has(order.status))
        throw new IllegalStateTransitionError('Order', order.status, 'CANCELLED');
      // the order is locked, and a dispatch locks it too: once a shipment left, the order stays
      const shipments = (await this.deps.fulfilment.shipmentsOf([order.id], tx)).get(order.id) ?? [];
      if (shipments.some((s) => s.status === 'dispatched' || s.status === 'delivered')) {
        throw new OrderDispatchedError(order.number);
      }
      await compensateSteps(
        this.steps,
        { orderId: order.id, cartId: order.cartId, reason, actor, reopenCart: false },
        tx,
      );
      if (checkpoint) {
        const cancelled = await this.deps.orders.view(order.id, tx);
        if (cancelled) await checkpoint.record(tx, cancelled);
      }
    });
    this.deps.outcome('cancelled');
    await settleQuietly(this.deps, request.orderId);
    const view = await this.deps.orders.view(request.orderId);
    if (!view) throw new NotFoundError('Order');
    return view;
  }
}
