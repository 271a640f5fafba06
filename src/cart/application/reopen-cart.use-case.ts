import type { TransactionHandle } from '../../platform/db/unit-of-work.js';
import { isUuid } from '../../platform/ids.js';
import type { CartDeps } from './cart.deps.js';

/**
 * Compensation of closing (the order's payment was declined), in the caller's transaction `tx`: the
 * cart `orderId` closed is open again with its lines, unless its customer has opened another cart
 * since. Idempotent; true when the cart is open again.
 */
export class ReopenCart {
  constructor(private readonly deps: CartDeps) {}

  execute(cartId: string, orderId: string, tx: TransactionHandle): Promise<boolean> {
    return this.deps.uow.join(tx, async ({ repos }) => {
      const cart = isUuid(cartId) ? await repos.carts.findForUpdate(cartId) : null;
      if (!cart) return false;
      if (cart.status === 'open' && cart.orderId === null) return true;
      const now = this.deps.clock.now();
      if (cart.customerId) {
        // a customer has one open cart: one opened since keeps its place
        const open = await repos.carts.findOpenIdOfCustomer(cart.customerId);
        if (open && open !== cart.id) return false;
      }
      if (!cart.reopenAfter(orderId, now)) return false;
      await repos.carts.save(cart);
      return true;
    });
  }
}
