import type { ReturnSummary } from '../contract.js';
import type { Return } from '../domain/return.aggregate.js';
import type { ReturnStatus } from '../domain/return.lifecycle.js';

/** A place in the staff listing, oldest first: `(createdAt, id)` ascending. */
export interface ReturnPosition {
  createdAt: Date;
  id: string;
}

export interface ReturnFilter {
  status?: ReturnStatus;
  orderId?: string;
}

export interface ReturnPage {
  returns: Return[];
  /** where the next page starts, or null on the last page */
  next: ReturnPosition | null;
}

/** Persistence port of returns: returns with their lines and history. */
export interface ReturnRepository {
  /** Inserts the return (true); a second one with its (order, seq) is a bug: it throws. */
  insert(ret: Return): Promise<boolean>;
  find(id: string): Promise<Return | null>;
  /** The return, its row locked for the rest of the transaction. */
  findForUpdate(id: string): Promise<Return | null>;
  /** The return of a refund attempt (its current refund id), locked. */
  findByRefundForUpdate(refundId: string): Promise<Return | null>;
  /** The return of a refund attempt (its current refund id), not locked. */
  ofRefund(refundId: string): Promise<Return | null>;
  /** The order's returns, oldest first (by sequence). */
  ofOrder(orderId: string): Promise<Return[]>;
  /** Writes status, lines, refund, replacement, receipt, note and new history; fails on a stale copy. */
  save(ret: Return): Promise<void>;
  /** Oldest first, keyset-paginated after `after`, with every filter given. */
  page(filter: ReturnFilter, limit: number, after: ReturnPosition | null): Promise<ReturnPage>;
  /** The returns of these orders as the order view shows them, oldest first per order. */
  summariesOf(orderIds: readonly string[]): Promise<Map<string, ReturnSummary[]>>;
  /** The return whose replacement order this is, or null. */
  ofReplacement(orderId: string): Promise<Return | null>;
  /** Returns whose refund is open and that did not change since `before`, oldest change first. */
  refundsOpen(before: Date, limit: number): Promise<Return[]>;
  /** The customer's returns, newest first. */
  ofCustomer(customerId: string): Promise<Return[]>;
  /** Erases the note of every return of the customer; how many changed. */
  eraseCustomer(customerId: string, now: Date): Promise<number>;
}

export interface ReturnsRepos {
  returns: ReturnRepository;
}
