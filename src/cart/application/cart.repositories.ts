import type { Cart } from '../domain/cart.aggregate.js';

/** Persistence port of carts. Lines are part of the cart aggregate. */
export interface CartRepository {
  /** The cart whatever its status, without a lock. */
  find(id: string): Promise<Cart | null>;
  /** Locks the cart row for the rest of the transaction. */
  findForUpdate(id: string): Promise<Cart | null>;
  /** Locks the rows of these carts in id order (a stable order: no deadlock between two lockers). */
  lockMany(ids: readonly string[]): Promise<Cart[]>;
  /** The id of the customer's open cart (there is at most one), without a lock. */
  findOpenIdOfCustomer(customerId: string): Promise<string | null>;
  /** Inserts; false when the customer has an open cart already (a concurrent create), without aborting the transaction. */
  insert(cart: Cart): Promise<boolean>;
  /** Writes the cart row and its lines. */
  save(cart: Cart): Promise<void>;
  /**
   * One statement: the open, live cart becomes closed for `orderId` (or already is); false when it is
   * unknown, expired, or closed by another order. Its lines stay as they are.
   */
  closeForOrder(id: string, orderId: string, now: Date): Promise<boolean>;
  /** Marks up to `limit` open carts idle past their expiry at `now` as expired; their ids. Skips locked rows. */
  expireIdle(now: Date, limit: number): Promise<string[]>;
  /** Deletes the lines of carts that expired before `before`; how many lines. */
  purgeExpiredLines(before: Date, limit: number): Promise<number>;
  /** Every cart of the customer, newest first, without a lock (GDPR export). */
  listOfCustomer(customerId: string): Promise<Cart[]>;
  /** GDPR erasure: drops the email and shipping address of every cart of the customer and expires an open one; how many carts. */
  eraseCustomer(customerId: string, now: Date): Promise<number>;
}

export interface CartRepos {
  carts: CartRepository;
}
