import { type OrderSnapshot, type OrderView, renderOrderView } from '../../orders/contract.js';
import type { AuthorizationOutcome, PaymentView } from '../../payments/contract.js';
import type { TransactionHandle } from '../../platform/db/unit-of-work.js';
import { compensateSteps } from '../../platform/domain/saga.js';
import type { CheckoutDeps } from './checkout.deps.js';
import { type PlacementUndo, placeOrderSteps, systemActor } from './place-order.steps.js';

/** Where an order stands once an authorization outcome has been applied to it. */
export type CompletionResult =
  /** payment AUTHORIZED, order CONFIRMED (201) */
  | 'confirmed'
  /** declined: payment FAILED, stock released, coupon given back, order CANCELLED (402) */
  | 'declined'
  /** the provider could not answer: the order stays PAYMENT_PENDING for the worker (202) */
  | 'pending'
  /** authorized, but the reservation had expired: compensated and the authorization voided (409) */
  | 'expired'
  /** someone else (the worker, a duplicate request, the expiry) already moved the order on */
  | 'settled-elsewhere';

/**
 * Step 3 of the checkout saga, shared by the request and the pending-payment worker: applies the
 * outcome of step 2 in one transaction, under the order's row lock — so the request, a worker on this
 * instance and one on another can race on the same order and exactly one of them completes it.
 */
export const completeAuthorization = (deps: CheckoutDeps) => {
  const steps = placeOrderSteps(deps);
  const undo = (order: OrderSnapshot, reason: string, reopenCart: boolean): PlacementUndo => ({
    orderId: order.id,
    cartId: order.cartId,
    reason,
    actor: systemActor,
    reopenCart,
  });

  /** `confirmed` carries the order and payment as the transaction left them: the view needs nothing more */
  type Applied =
    | { result: Exclude<CompletionResult, 'confirmed'> }
    | { result: 'confirmed'; order: OrderSnapshot; payment: PaymentView };

  const apply = async (outcome: AuthorizationOutcome, tx: TransactionHandle): Promise<Applied> => {
    const order = await deps.orders.get(outcome.orderId, tx);
    if (!order) throw new Error(`order ${outcome.orderId} of an authorization outcome does not exist`);
    if (order.status !== 'PAYMENT_PENDING') return { result: 'settled-elsewhere' };
    const payment = await deps.payments.recordAuthorization(outcome, tx);
    switch (outcome.result) {
      case 'unavailable':
      case 'action_required':
        return { result: 'pending' };
      case 'declined':
        await compensateSteps(steps, undo(order, `payment declined: ${outcome.reason}`, true), tx);
        return { result: 'declined' };
      case 'authorized': {
        // a reservation that expired while the provider answered has been released: sell nothing
        if (!(await deps.inventory.confirm(order.id, tx))) {
          await compensateSteps(steps, undo(order, 'reservation expired before the payment', false), tx);
          return { result: 'expired' };
        }
        const confirmed = await deps.orders.transition(
          order.id,
          ['PAYMENT_AUTHORIZED', 'CONFIRMED'],
          { actor: systemActor },
          tx,
        );
        return { result: 'confirmed', order: confirmed, payment };
      }
    }
  };

  /** Applies the outcome; the order's view as the same transaction left it comes back with it. */
  return async (
    outcome: AuthorizationOutcome,
  ): Promise<{ result: CompletionResult; view: OrderView | null }> => {
    const completed = await deps.uow.run(async ({ tx }) => {
      const applied = await apply(outcome, tx);
      // just confirmed under the order's lock: no shipment can exist yet (fulfilment creates them
      // from OrderConfirmed, after this commit), so the view is the two snapshots in hand
      if (applied.result === 'confirmed')
        return { result: applied.result, view: renderOrderView(applied.order, applied.payment) };
      return { result: applied.result, view: await deps.orders.view(outcome.orderId, tx) };
    });
    // an authorization the compensation voided is released at the provider now (the worker retries)
    if (completed.result === 'expired') await settleQuietly(deps, outcome.orderId);
    deps.outcome(completed.result);
    return completed;
  };
};

/** Makes the provider calls a cancellation scheduled; a failure is left to the payments worker. */
export const settleQuietly = async (deps: CheckoutDeps, orderId: string): Promise<void> => {
  try {
    await deps.payments.settle(orderId);
  } catch (err) {
    deps.logger.warn(
      { orderId, err: err instanceof Error ? err.message : String(err) },
      'payment not settled at the provider yet; the payments worker retries',
    );
  }
};
