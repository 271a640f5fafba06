import type { OrderViewPage } from './list-orders.query.js';
import type { OrderPosition } from './order.repository.js';
import type { OrderReader } from './order-reader.service.js';
import type { OrdersDeps } from './orders.deps.js';

/**
 * A customer's own orders (GET /api/v1/orders), newest first, keyset-paginated like the admin listing
 * (ListOrders): no order listed twice or skipped while others are placed.
 */
export class ListCustomerOrders {
  constructor(
    private readonly deps: OrdersDeps,
    private readonly reader: OrderReader,
  ) {}

  async execute(customerId: string, limit: number, after: OrderPosition | null): Promise<OrderViewPage> {
    const page = await this.deps.read.run(({ repos }) => repos.orders.page({ customerId }, limit, after));
    return { items: await this.reader.views(page.orders), next: page.next };
  }
}
