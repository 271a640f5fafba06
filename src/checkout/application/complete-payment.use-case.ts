import type { CheckoutDeps } from './checkout.deps.js';
import { type CompletionResult, completeAuthorization } from './complete-authorization.service.js';

/**
 * The provider announced that an order's authorization went on — the customer answered 3-D Secure,
 * or failed or gave it up (Stripe's `payment_intent.amount_capturable_updated`, `payment_failed`,
 * `canceled`): the authorization is asked again with the payment's key (the provider answers where
 * it stands now) and applied as step 3 of the checkout saga — CONFIRMED, or CANCELLED with the cart
 * reopened. Only an order still PAYMENT_PENDING is touched, under its row lock (shared with the
 * request and the pending-payment worker), so a webhook that arrives before the request's own
 * answer, or twice, confirms once.
 */
export class CompletePayment {
  private readonly complete;

  constructor(private readonly deps: CheckoutDeps) {
    this.complete = completeAuthorization(deps);
  }

  /** What became of the order; `settled-elsewhere` when it was not PAYMENT_PENDING any more. */
  async execute(orderId: string): Promise<CompletionResult> {
    const order = await this.deps.orders.get(orderId);
    if (order?.status !== 'PAYMENT_PENDING') return 'settled-elsewhere';
    const outcome = await this.deps.payments.requestAuthorization(orderId);
    const { result } = await this.complete(outcome);
    this.deps.logger.info({ orderId, result }, 'payment completed after the provider’s webhook');
    return result;
  }
}
