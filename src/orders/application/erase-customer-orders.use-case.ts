import type { TransactionHandle } from '../../platform/db/unit-of-work.js';
import type { OrdersDeps } from './orders.deps.js';

/**
 * GDPR erasure, on identity's `CustomerErased`, inside the consumer's inbox transaction: every order of
 * the customer loses its email and shipping address (name, street, phone with it). Numbers, amounts,
 * lines, status and history stay — the orders are kept for accounting, anonymised. Idempotent: an
 * erased order is not touched again. No event: nothing other contexts need changed.
 */
export class EraseCustomerOrders {
  constructor(private readonly deps: OrdersDeps) {}

  execute(customerId: string, tx: TransactionHandle): Promise<number> {
    return this.deps.uow.join(tx, ({ repos }) =>
      repos.orders.eraseCustomer(customerId, this.deps.clock.now()),
    );
  }
}
