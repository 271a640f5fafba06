import { ConflictError } from '../../platform/errors.js';
import { isUuid } from '../../platform/ids.js';
import type { CartDeps } from './cart.deps.js';

const ADOPTION_ATTEMPTS = 3;

/**
 * Login with a guest cart id: the guest cart becomes the customer's, or is merged into the
 * customer's open cart and closed; either way the customer's cart ends without the guest's email
 * (the account's email applies). One transaction; both rows locked in id order. A customer's
 * cart, an unknown, closed or expired id: nothing happens.
 */
export class AdoptGuestCart {
  constructor(private readonly deps: CartDeps) {}

  async execute(cartId: string, customerId: string): Promise<void> {
    if (!isUuid(cartId)) return;
    for (let attempt = 1; attempt <= ADOPTION_ATTEMPTS; attempt++) {
      const done = await this.deps.uow.run(async ({ repos }) => {
        const now = this.deps.clock.now();
        const ownId = await repos.carts.findOpenIdOfCustomer(customerId);
        const locked = await repos.carts.lockMany(ownId && ownId !== cartId ? [cartId, ownId] : [cartId]);
        const guest = locked.find((c) => c.id === cartId);
        if (!guest?.isGuest || !guest.isLiveAt(now)) return true;
        const own = ownId ? locked.find((c) => c.id === ownId) : undefined;
        // the customer's cart changed hands between the lookup and the lock: look again
        if (own && (own.customerId !== customerId || own.status !== 'open')) return false;
        if (own?.isLiveAt(now)) {
          own.mergeFrom(guest, now);
          await repos.carts.save(own);
          await repos.carts.save(guest);
          return true;
        }
        if (own) {
          own.expire(now);
          await repos.carts.save(own);
        }
        guest.assignTo(customerId, now);
        await repos.carts.save(guest);
        return true;
      });
      if (done) return;
    }
    throw new ConflictError('The cart changed during adoption; try again');
  }
}
