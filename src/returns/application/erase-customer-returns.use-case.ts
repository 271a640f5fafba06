import type { TransactionHandle } from '../../platform/db/unit-of-work.js';
import type { ReturnsDeps } from './returns.deps.js';

/**
 * GDPR erasure, on identity's `CustomerErased`, inside the consumer's inbox transaction: every return
 * of the customer loses its note (the only personal data a return holds). Numbers, lines, refunds and
 * history stay — kept for accounting, like the orders (which keep the customer id too). Idempotent: an
 * erased return is not touched again. No event: nothing other contexts need changed.
 */
export class EraseCustomerReturns {
  constructor(private readonly deps: ReturnsDeps) {}

  execute(customerId: string, tx: TransactionHandle): Promise<number> {
    return this.deps.uow.join(tx, ({ repos }) =>
      repos.returns.eraseCustomer(customerId, this.deps.clock.now()),
    );
  }
}
