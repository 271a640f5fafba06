import type { Cart } from '../domain/cart.aggregate.js';
import type { CartDeps } from './cart.deps.js';
import { type Caller, changeAccessibleCart } from './cart-access.service.js';
import { assertSellable } from './cart-catalog.service.js';

/**
 * Adds units of an active SKU (to an existing line, if any). The line's new total must be in stock
 * (fresh availability) and at most 99.
 */
export class AddCartItem {
  constructor(private readonly deps: CartDeps) {}

  execute(id: string, caller: Caller, sku: string, quantity: number): Promise<Cart> {
    return changeAccessibleCart(this.deps, id, caller, async (cart, now, tx) => {
      const total = cart.quantityAfterAdding(sku, quantity);
      await assertSellable(this.deps, sku, total, tx);
      cart.addLine(sku, quantity, now);
    });
  }
}
