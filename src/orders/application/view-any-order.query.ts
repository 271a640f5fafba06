import type { OrderView } from '../contract.js';
import { OrderNotFoundError } from '../domain/orders.errors.js';
import type { OrderReader } from './order-reader.service.js';

/** Any order (`GET /api/v1/admin/orders/:id`; the route checks the admin role); 404 when unknown. */
export class ViewAnyOrder {
  constructor(private readonly reader: OrderReader) {}

  async execute(orderId: string): Promise<OrderView> {
    const order = await this.reader.load(orderId);
    if (!order) throw new OrderNotFoundError();
    const [view] = await this.reader.views([order]);
    return view!;
  }
}
