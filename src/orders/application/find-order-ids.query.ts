import { readWithin, type TransactionHandle } from '../../platform/db/unit-of-work.js';
import { isUuid } from '../../platform/ids.js';
import type { OrderStatus } from '../contract.js';
import type { OrdersDeps } from './orders.deps.js';

/** Order ids for background workers and checkout: by status and age, by cart. */
export class FindOrderIds {
  constructor(private readonly deps: OrdersDeps) {}

  /** Orders in `status` whose status last changed before `before`, oldest change first, at most `limit` (1–1000). */
  inStatus(status: OrderStatus, before: Date, limit: number): Promise<string[]> {
    const n = Math.min(Math.max(Math.trunc(limit), 1), 1000);
    return this.deps.read.run(({ repos }) => repos.orders.idsInStatus(status, before, n));
  }

  /** The orders placed from `cartId`, oldest first. */
  ofCart(cartId: string, tx?: TransactionHandle): Promise<string[]> {
    if (!isUuid(cartId)) return Promise.resolve([]);
    return readWithin(this.deps.read, tx, ({ repos }) => repos.orders.idsOfCart(cartId));
  }
}
