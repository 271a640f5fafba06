import type { Cart } from '../domain/cart.aggregate.js';
import type { CartDeps } from './cart.deps.js';
import { type Caller, changeAccessibleCart } from './cart-access.service.js';
import { assertSellable } from './cart-catalog.service.js';

/** Sets a line's quantity; 0 removes it. Raising it checks the product is active and in stock. */
export class ChangeCartItem {
  constructor(private readonly deps: CartDeps) {}

  execute(id: string, caller: Caller, sku: string, quantity: number): Promise<Cart> {
    return changeAccessibleCart(this.deps, id, caller, async (cart, now, tx) => {
      const current = cart.quantityOf(sku);
      if (current > 0 && quantity > current) await assertSellable(this.deps, sku, quantity, tx);
      cart.changeQuantity(sku, quantity, now);
    });
  }
}
