import type { TransactionHandle } from '../../platform/db/unit-of-work.js';
import { isUuid } from '../../platform/ids.js';
import type { Cart } from '../domain/cart.aggregate.js';
import { CartNotFoundError } from '../domain/cart.errors.js';
import type { CartDeps } from './cart.deps.js';

/** Who is calling: a customer's user id, or null for an anonymous caller. */
export type Caller = string | null;

/**
 * The cart, if it is open and not idle-expired at `now` and the caller may see it; else 404 — one
 * answer for unknown, closed, expired and someone else's carts.
 */
export const accessibleCart = (cart: Cart | null, caller: Caller, now: Date): Cart => {
  if (!cart?.isLiveAt(now) || !cart.isVisibleTo(caller)) throw new CartNotFoundError();
  return cart;
};

/**
 * Runs a change on a live cart the caller may see, under a row lock, and saves it. Concurrent changes
 * of one cart queue on the lock, so none is lost; what the change reads (catalog, stock, prices) it
 * reads on the same transaction's connection (`tx`), never on a second one.
 */
export const changeAccessibleCart = async (
  deps: Pick<CartDeps, 'uow' | 'clock'>,
  id: string,
  caller: Caller,
  mutate: (cart: Cart, now: Date, tx: TransactionHandle) => Promise<void>,
): Promise<Cart> => {
  if (!isUuid(id)) throw new CartNotFoundError();
  return deps.uow.run(async ({ repos, tx }) => {
    const found = await repos.carts.findForUpdate(id);
    const now = deps.clock.now();
    const cart = accessibleCart(found, caller, now);
    await mutate(cart, now, tx);
    await repos.carts.save(cart);
    return cart;
  });
};
