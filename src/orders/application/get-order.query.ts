import type { TransactionHandle } from '../../platform/db/unit-of-work.js';
import type { OrderSnapshot } from '../contract.js';
import type { OrderReader } from './order-reader.service.js';
import { toSnapshot } from './order-snapshot.mapper.js';
import type { OrdersDeps } from './orders.deps.js';

/**
 * One order. Inside the caller's transaction the order row is locked for the rest of it (FOR UPDATE):
 * a saga step that reads the order to decide what to do holds it until it commits. Outside a
 * transaction: a plain read. Unknown (or not a UUID): null.
 */
export class GetOrder {
  constructor(
    private readonly deps: OrdersDeps,
    private readonly reader: OrderReader,
  ) {}

  async execute(orderId: string, tx?: TransactionHandle): Promise<OrderSnapshot | null> {
    const order = await this.reader.load(orderId, tx);
    if (!order) return null;
    // locked for the rest of tx: its next move of this order starts from this read
    if (tx) this.deps.locked.remember(tx, order);
    return toSnapshot(order);
  }
}
