import type { TransactionHandle } from '../../platform/db/unit-of-work.js';
import type { OrderView } from '../contract.js';
import type { OrderReader } from './order-reader.service.js';

/** The docs/product/api.md view of one order (the facade's `view`): read on `tx` when given, without a lock; null when unknown. */
export class GetOrderView {
  constructor(private readonly reader: OrderReader) {}

  async execute(orderId: string, tx?: TransactionHandle): Promise<OrderView | null> {
    const order = await this.reader.load(orderId, tx, false);
    if (!order) return null;
    const [view] = await this.reader.views([order], tx);
    return view ?? null;
  }
}
