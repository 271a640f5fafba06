import type { TransactionHandle } from '../../platform/db/unit-of-work.js';
import type { CartDeps } from './cart.deps.js';

/**
 * GDPR erasure (on CustomerErased, in the consumer's inbox transaction `tx`): the customer's carts
 * lose their email and shipping address, an open one expires; how many carts.
 */
export class EraseCustomerCarts {
  constructor(private readonly deps: CartDeps) {}

  execute(customerId: string, tx: TransactionHandle): Promise<number> {
    return this.deps.uow.join(tx, ({ repos }) =>
      repos.carts.eraseCustomer(customerId, this.deps.clock.now()),
    );
  }
}
