import { isUuid } from '../../platform/ids.js';
import type { Cart } from '../domain/cart.aggregate.js';
import { CartNotFoundError } from '../domain/cart.errors.js';
import type { CartDeps } from './cart.deps.js';
import { accessibleCart, type Caller } from './cart-access.service.js';

/** The cart, if the caller may see it and it is open and not idle-expired; else 404. */
export class GetCart {
  constructor(private readonly deps: CartDeps) {}

  async execute(id: string, caller: Caller): Promise<Cart> {
    if (!isUuid(id)) throw new CartNotFoundError();
    const cart = await this.deps.read.run(({ repos }) => repos.carts.find(id));
    return accessibleCart(cart, caller, this.deps.clock.now());
  }
}
