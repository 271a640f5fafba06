import type { Cart } from '../domain/cart.aggregate.js';
import type { CartDeps } from './cart.deps.js';
import { type Caller, changeAccessibleCart } from './cart-access.service.js';

/** Drops the cart's coupon code. */
export class RemoveCartPromotion {
  constructor(private readonly deps: CartDeps) {}

  execute(id: string, caller: Caller): Promise<Cart> {
    return changeAccessibleCart(this.deps, id, caller, async (cart, now) => cart.removePromotion(now));
  }
}
