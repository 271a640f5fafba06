/**
 * The cart context's public surface: its integration events and the facade other contexts call
 * (identity adopts a guest cart at login; checkout reads and closes carts).
 */
import type { TransactionHandle } from '../platform/db/unit-of-work.js';
import { eventType } from '../platform/messaging/integration-event.js';

export const CART_CONTEXT = 'cart';

/** Cart events (docs/product/events.md lists the topic; add types here as they are defined). */
export const CartEventTypes = {
  CartAbandoned: eventType(CART_CONTEXT, 'CartAbandoned'),
} as const;

/** A shipping address as the cart keeps it (docs/product/api.md address shape). */
export interface CartShippingAddress {
  name: string;
  line1: string;
  line2?: string | undefined;
  city: string;
  postalCode: string;
  country: string;
  phone?: string | undefined;
}

/** An open cart as checkout reads it: ids and quantities, no money (pricing prices it). */
export interface OpenCartSnapshot {
  id: string;
  customerId: string | null;
  /** the guest's email (customer carts: null, the account's email applies) */
  email: string | null;
  currency: string;
  lines: { sku: string; quantity: number }[];
  promotionCode: string | null;
  shippingAddress: CartShippingAddress | null;
  shippingOption: string | null;
  updatedAt: Date;
  /** bumped on every change: checkout may compare it to detect a cart changed under it */
  version: number;
}

/** What identity calls at login with `{…, cartId}`, and what checkout calls. */
export interface CartFacade {
  /**
   * Gives the guest cart `cartId` to the customer: it becomes the customer's cart, or its lines are
   * merged into the customer's open cart (quantities added, capped at 99). The guest's email is not
   * kept: a customer's cart has none. Unknown, expired or another customer's cart: nothing happens
   * (login never fails because of a cart).
   */
  adoptGuestCart(cartId: string, customerId: string): Promise<void>;

  /**
   * The cart if it is open and not idle-expired, else null. Checkout must still check that the caller
   * may use it (a customer's cart belongs to `customerId`; a guest cart to whoever holds its id).
   * Inside the caller's transaction `tx` the cart row is locked for the rest of it (checkout places an
   * order from a cart nobody changes meanwhile).
   */
  getOpenCart(cartId: string, tx?: TransactionHandle): Promise<OpenCartSnapshot | null>;
  /**
   * Closes the cart because `orderId` was placed from it, inside the caller's transaction `tx`.
   * Idempotent for the same order; 404 NOT_FOUND when it is unknown, expired or closed by another order.
   */
  close(cartId: string, orderId: string, tx: TransactionHandle): Promise<void>;
  /**
   * Compensation of `close` (the order's payment was declined), inside `tx`: the cart `orderId` closed
   * is open again with its lines, unless its customer has opened another cart since. Idempotent;
   * true when the cart is open again.
   */
  reopen(cartId: string, orderId: string, tx: TransactionHandle): Promise<boolean>;
}
