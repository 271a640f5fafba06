import { type OrderView, renderOrderView } from '../../orders/contract.js';
import type { AuthorizationOutcome } from '../../payments/contract.js';
import type { AnswerCheckpoint } from '../../platform/db/answer-checkpoint.js';
import { isDatabaseUnavailable } from '../../platform/db/database-errors.js';
import { invokeSteps } from '../../platform/domain/saga.js';
import { newId } from '../../platform/ids.js';
import {
  OrderCancelledMeanwhileError,
  PaymentDeclinedError,
  ReservationExpiredError,
} from '../domain/checkout.errors.js';
import type { CheckoutDeps } from './checkout.deps.js';
import { completeAuthorization } from './complete-authorization.service.js';
import { type Placement, type PlaceOrderRequest, placeOrderSteps } from './place-order.steps.js';

export interface PlacedOrder {
  /** 201 CONFIRMED, or 202 PAYMENT_PENDING when the provider could not answer */
  status: 201 | 202;
  order: OrderView;
}

/**
 * `POST /api/v1/orders`: the checkout saga of docs/product/spec.md.
 * 1. one transaction: read and lock the cart, price it, create the order (PAYMENT_PENDING), reserve
 *    the stock (all or nothing: 409 OUT_OF_STOCK), redeem the coupon, open the payment, close the
 *    cart — with OrderPlaced, InventoryReserved and PromotionRedeemed in the outbox;
 * 2. authorize at the provider, outside every transaction (timeout, retries, breaker, idempotency key);
 * 3. one transaction: confirm (201), or compensate a decline (402), or leave it PAYMENT_PENDING for
 *    the worker (202).
 * The Idempotency-Key (required on the route) replays the first answer; the cart's row lock makes
 * concurrent checkouts of one cart produce one order whatever their keys. `checkpoint` records the
 * answer "202, the order PAYMENT_PENDING" in step 1's transaction (ADR 0009): a retry after any
 * failure past step 1 finds it instead of running again, and it is what the request answers if a
 * later step fails.
 */
export class PlaceOrder {
  private readonly steps;
  private readonly complete;

  constructor(private readonly deps: CheckoutDeps) {
    this.steps = placeOrderSteps(deps);
    this.complete = completeAuthorization(deps);
  }

  async execute(
    request: PlaceOrderRequest,
    checkpoint?: AnswerCheckpoint<PlacedOrder>,
  ): Promise<PlacedOrder> {
    const placement: Placement = { request, orderId: newId() };
    await this.deps.uow.run(async ({ tx }) => {
      await checkpoint?.claim(tx);
      await invokeSteps(this.steps, placement, tx);
      await checkpoint?.record(tx, { status: 202, order: this.pendingView(placement) });
    });
    this.deps.outcome('placed');

    // From here on the order exists: whatever happens, the answer describes it — if the provider or
    // the database cannot finish now, it stays PAYMENT_PENDING (202) and the worker completes it.
    let completed: Awaited<ReturnType<typeof this.complete>>;
    let outcome: AuthorizationOutcome;
    try {
      outcome = await this.deps.payments.requestAuthorization(placement.orderId);
      completed = await this.complete(outcome);
    } catch (err) {
      if (!isDatabaseUnavailable(err)) throw err;
      this.deps.logger.warn(
        { orderId: placement.orderId, err: err instanceof Error ? err.message : String(err) },
        'order placed but not completed now (database busy or away); the worker completes it',
      );
      return { status: 202, order: this.pendingView(placement) };
    }
    const { result, view } = completed;
    // declined here, or by the pending-payment worker that took the order over while the provider
    // answered (it asked with the same idempotency key: the same decline) — the shopper's answer is 402
    const declinedElsewhere =
      result === 'settled-elsewhere' && outcome.result === 'declined' && view?.status === 'CANCELLED';
    if (result === 'declined' || declinedElsewhere) {
      throw new PaymentDeclinedError(
        placement.orderId,
        outcome.result === 'declined' ? outcome.reason : 'declined',
      );
    }
    if (result === 'expired') throw new ReservationExpiredError(placement.orderId);
    if (!view) throw new Error(`order ${placement.orderId} vanished after it was placed`);
    // settled elsewhere meanwhile (a worker, a cancellation): answer with where it stands
    if (view.status === 'CANCELLED') throw new OrderCancelledMeanwhileError(placement.orderId);
    if (view.status !== 'PAYMENT_PENDING') return { status: 201, order: view };
    // the provider waits for the customer (3-D Secure): the storefront performs the action (Stripe.js)
    if (outcome.result === 'action_required' && view.payment) {
      return {
        status: 202,
        order: { ...view, payment: { ...view.payment, nextAction: outcome.nextAction } },
      };
    }
    return { status: 202, order: view };
  }

  /** The order as step 1 committed it: PAYMENT_PENDING, its payment PENDING. */
  private pendingView(placement: Placement): OrderView {
    const order = placement.order;
    if (!order) throw new Error(`order ${placement.orderId} has no snapshot after step 1`);
    const zero = { amount: 0, currency: order.currency };
    return renderOrderView(order, {
      status: 'PENDING',
      brand: null,
      last4: null,
      authorized: zero,
      captured: zero,
      refunded: zero,
    });
  }
}
