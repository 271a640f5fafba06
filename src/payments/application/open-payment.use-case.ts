import type { TransactionHandle } from '../../platform/db/unit-of-work.js';
import { ValidationError } from '../../platform/errors.js';
import { isUuid, newId } from '../../platform/ids.js';
import type { PaymentView } from '../contract.js';
import { Payment } from '../domain/payment.aggregate.js';
import { toView } from './payment.view.js';
import type { PaymentsDeps } from './payments.deps.js';

export interface OpenPaymentInput {
  orderId: string;
  amount: number;
  currency: string;
  token: string;
}

/**
 * Opens the order's payment, PENDING, inside the caller's transaction (checkout step 1). One payment
 * per order (unique `order_id`): the same order again returns the payment it has. A token the
 * provider can never accept is 400 naming `payment.token`, before anything is written.
 */
export class OpenPayment {
  constructor(private readonly deps: PaymentsDeps) {}

  async execute(input: OpenPaymentInput, tx: TransactionHandle): Promise<PaymentView> {
    const name = this.deps.providers.defaultProvider;
    const provider = this.deps.providers.get(name);
    if (!provider) throw new Error(`payment provider ${name} is not configured`);
    if (!isUuid(input.orderId)) {
      throw new ValidationError('The payment is invalid; see errors', [
        { path: 'orderId', message: 'must be a UUID' },
      ]);
    }
    if (typeof input.token !== 'string' || !provider.acceptsToken(input.token)) {
      throw new ValidationError('The payment token is invalid', [
        { path: 'payment.token', message: `is not a payment token the ${name} provider accepts` },
      ]);
    }
    return this.deps.uow.join(tx, async ({ repos }) => {
      // insert first: a checkout opens its order's payment once, so the usual case is one statement
      const payment = Payment.open({
        id: newId(),
        orderId: input.orderId,
        provider: name,
        amount: input.amount,
        currency: input.currency,
        token: input.token,
        now: this.deps.clock.now(),
      });
      if (await repos.payments.insert(payment)) return toView(payment);
      // the order's payment exists already (opened again, or a concurrent open committed first)
      const raced = await repos.payments.findByOrder(input.orderId);
      if (!raced) throw new Error(`payment of order ${input.orderId} neither inserted nor found`);
      return toView(raced);
    });
  }
}
