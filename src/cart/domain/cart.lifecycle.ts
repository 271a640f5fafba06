import { stateMachine } from '../../platform/domain/state-machine.js';
import { CartNotFoundError } from './cart.errors.js';

/** The statuses of a cart (the `status` column of `cart_carts`). */
export const CART_STATUSES = ['open', 'closed', 'expired'] as const;
export type CartStatus = (typeof CART_STATUSES)[number];

/**
 * The cart life cycle as data. Staying in a status is not a move.
 *
 * - open → closed: checkout placed an order from it, or it was merged into the customer's cart at login;
 *   open → expired: idle past its expiry (the sweeper, a customer's `POST /carts`, adoption, erasure).
 * - closed → open: the order placed from it did not go through (payment declined); only that order
 *   may reopen it (Cart.reopenAfter).
 * - expired is final.
 */
export const CART_TRANSITIONS = {
  open: ['closed', 'expired'],
  closed: ['open'],
  expired: [],
} as const satisfies { readonly [S in CartStatus]: readonly CartStatus[] };

/**
 * An illegal move is the cart's one answer to anything done to a cart that is not open: 404
 * (CartNotFoundError), as `close` of an expired cart or of one closed by another order answers today —
 * never a 409 that would tell a closed cart from an unknown one.
 */
export const cartStates = stateMachine<CartStatus>('Cart', CART_TRANSITIONS, () => new CartNotFoundError());
