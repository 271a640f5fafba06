import type { Order } from '../domain/order.aggregate.js';
import type { OrderStatus } from '../domain/order.lifecycle.js';

/** A place in a listing ordered newest first: `(createdAt, id)` descending. */
export interface OrderPosition {
  createdAt: Date;
  id: string;
}

/** The admin filters (every one optional); `from` inclusive, `to` exclusive. */
export interface OrderFilter {
  status?: OrderStatus;
  customerId?: string;
  from?: Date;
  to?: Date;
}

export interface OrderPage {
  orders: Order[];
  /** where the next page starts, or null on the last page */
  next: OrderPosition | null;
}

/**
 * Persistence port of orders. Lines and status history are part of the aggregate; an order is read
 * with both in one statement (or two when it is locked), never line by line.
 */
export interface OrderRepository {
  /** The next value of the region's order-number sequence. */
  nextNumber(): Promise<number>;
  /** Inserts the order with its lines and history; false (nothing written) when the id exists already. */
  insert(order: Order): Promise<boolean>;
  /** The order, without a lock; null when unknown. */
  find(id: string): Promise<Order | null>;
  /** The order, its row locked for the rest of the transaction; null when unknown. */
  findForUpdate(id: string): Promise<Order | null>;
  /** Writes the status and appends the unsaved history entries; fails on a stale copy. */
  save(order: Order): Promise<void>;
  /** Newest first, keyset-paginated after `after`, with every filter given. */
  page(filter: OrderFilter, limit: number, after: OrderPosition | null): Promise<OrderPage>;
  /** Ids of orders in `status` since before `before`, oldest change first. */
  idsInStatus(status: OrderStatus, before: Date, limit: number): Promise<string[]>;
  /** Ids of the orders placed from a cart, oldest first. */
  idsOfCart(cartId: string): Promise<string[]>;
  /** Every order of the customer, newest first (GDPR export). */
  listOfCustomer(customerId: string): Promise<Order[]>;
  /** GDPR erasure: the customer's orders lose email and shipping address; how many orders changed. */
  eraseCustomer(customerId: string, now: Date): Promise<number>;
}

export interface OrderRepos {
  orders: OrderRepository;
}
