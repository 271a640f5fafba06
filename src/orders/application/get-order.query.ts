import { readWithin, type TransactionHandle } from '../../platform/db/unit-of-work.js';
import { isUuid } from '../../platform/ids.js';
import type { OrderSnapshot } from '../contract.js';
import type { Order } from '../domain/order.aggregate.js';
import { toSnapshot } from './order-snapshot.mapper.js';
import type { OrdersDeps } from './orders.deps.js';

/**
 * One order. Inside the caller's transaction the order row is locked for the rest of it (FOR UPDATE):
 * a saga step that reads the order to decide what to do holds it until it commits. Outside a
 * transaction: a plain read. Unknown (or not a UUID): null.
 */
export class GetOrder {
  constructor(private readonly deps: OrdersDeps) {}

  async execute(orderId: string, tx?: TransactionHandle): Promise<OrderSnapshot | null> {
    const order = await this.load(orderId, tx);
    if (!order) return null;
    // locked for the rest of tx: its next move of this order starts from this read
    if (tx) this.deps.locked.remember(tx, order);
    return toSnapshot(order);
  }

  /** The aggregate, read on `tx` when given, and locked when `lock` (by default: when `tx` is given). */
  load(orderId: string, tx?: TransactionHandle, lock = tx !== undefined): Promise<Order | null> {
    if (!isUuid(orderId)) return Promise.resolve(null);
    return readWithin(this.deps.read, tx, ({ repos }) =>
      lock ? repos.orders.findForUpdate(orderId) : repos.orders.find(orderId),
    );
  }
}
