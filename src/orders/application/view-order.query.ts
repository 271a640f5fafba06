import type { OrderView } from '../contract.js';
import { OrderNotFoundError } from '../domain/orders.errors.js';
import { mayRead, type OrderCaller } from './order-access.policy.js';
import type { OrderReader } from './order-reader.service.js';

/**
 * One order for the caller of `GET /api/v1/orders/:id`, as they may see it (owner, staff, or a guest
 * order's email); 404 otherwise — the same 404 as an unknown order.
 */
export class ViewOrder {
  constructor(private readonly reader: OrderReader) {}

  async execute(orderId: string, caller: OrderCaller): Promise<OrderView> {
    const order = await this.reader.load(orderId);
    if (!order) throw new OrderNotFoundError();
    const s = order.snapshot();
    if (!mayRead({ customerId: s.customerId, email: s.email }, caller)) throw new OrderNotFoundError();
    const [view] = await this.reader.views([order]);
    return view!;
  }
}
