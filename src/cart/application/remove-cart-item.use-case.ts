import type { Cart } from '../domain/cart.aggregate.js';
import type { CartDeps } from './cart.deps.js';
import { type Caller, changeAccessibleCart } from './cart-access.service.js';

/** Removes a line (404 when the cart has none for the SKU). */
export class RemoveCartItem {
  constructor(private readonly deps: CartDeps) {}

  execute(id: string, caller: Caller, sku: string): Promise<Cart> {
    return changeAccessibleCart(this.deps, id, caller, async (cart, now) => cart.removeLine(sku, now));
  }
}
