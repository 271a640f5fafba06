import { ConflictError } from '../../platform/errors.js';
import { newId } from '../../platform/ids.js';
import { Cart } from '../domain/cart.aggregate.js';
import type { CartDeps } from './cart.deps.js';
import type { CartRepos } from './cart.repositories.js';
import type { Caller } from './cart-access.service.js';

const CREATE_ATTEMPTS = 3;

/**
 * A new cart, the caller's when they are signed in. A customer who has an open cart gets that one
 * back (`created: false`): a customer has at most one open cart.
 */
export class CreateCart {
  constructor(private readonly deps: CartDeps) {}

  async execute(caller: Caller): Promise<{ cart: Cart; created: boolean }> {
    for (let attempt = 1; ; attempt++) {
      const outcome = await this.deps.uow.run(async ({ repos }) => {
        const now = this.deps.clock.now();
        if (caller) {
          const existing = await this.customerOpenCart(repos, caller, now);
          if (existing) return { cart: existing, created: false };
        }
        const cart = Cart.open({
          id: newId(),
          customerId: caller,
          currency: this.deps.currency,
          now,
          idleTtlMs: this.deps.idleTtlMs,
        });
        return (await repos.carts.insert(cart)) ? { cart, created: true } : null;
      });
      if (outcome) return outcome;
      // a concurrent request created the customer's cart first: answer with that one
      if (attempt >= CREATE_ATTEMPTS) throw new ConflictError('The cart is being created; try again');
    }
  }

  /** The customer's open cart; one past its idle expiry is marked expired and not returned. */
  private async customerOpenCart(repos: CartRepos, customerId: string, now: Date): Promise<Cart | null> {
    const ownId = await repos.carts.findOpenIdOfCustomer(customerId);
    const own = ownId ? await repos.carts.findForUpdate(ownId) : null;
    if (own?.status !== 'open' || own.customerId !== customerId) return null;
    if (own.isLiveAt(now)) return own;
    own.expire(now);
    await repos.carts.save(own);
    return null;
  }
}
