import type { Cart } from '../domain/cart.aggregate.js';
import type { CartDeps } from './cart.deps.js';
import { type Caller, changeAccessibleCart } from './cart-access.service.js';

/** Sets the email of a guest cart (409 CONFLICT on a customer's cart: the account's email applies). */
export class SetCartEmail {
  constructor(private readonly deps: CartDeps) {}

  execute(id: string, caller: Caller, email: string): Promise<Cart> {
    return changeAccessibleCart(this.deps, id, caller, async (cart, now) => cart.setEmail(email, now));
  }
}
