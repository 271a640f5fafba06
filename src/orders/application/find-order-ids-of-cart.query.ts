import { readWithin, type TransactionHandle } from '../../platform/db/unit-of-work.js';
import { isUuid } from '../../platform/ids.js';
import type { OrdersDeps } from './orders.deps.js';

/** For checkout: the orders placed from `cartId`, oldest first (none for an unknown cart or a bad id). */
export class FindOrderIdsOfCart {
  constructor(private readonly deps: OrdersDeps) {}

  execute(cartId: string, tx?: TransactionHandle): Promise<string[]> {
    if (!isUuid(cartId)) return Promise.resolve([]);
    return readWithin(this.deps.read, tx, ({ repos }) => repos.orders.idsOfCart(cartId));
  }
}
