import type { TransactionHandle } from '../../platform/db/unit-of-work.js';
import { isUuid } from '../../platform/ids.js';
import { CartNotFoundError } from '../domain/cart.errors.js';
import type { CartDeps } from './cart.deps.js';

/**
 * Closes the cart for the order placed from it, in the caller's transaction `tx`: one statement
 * (checkout holds the row's lock already). Idempotent for the same order; 404 when it is unknown,
 * expired or closed by another order.
 */
export class CloseCart {
  constructor(private readonly deps: CartDeps) {}

  execute(cartId: string, orderId: string, tx: TransactionHandle): Promise<void> {
    return this.deps.uow.join(tx, async ({ repos }) => {
      const closed =
        isUuid(cartId) && (await repos.carts.closeForOrder(cartId, orderId, this.deps.clock.now()));
      if (!closed) throw new CartNotFoundError();
    });
  }
}
