import type { OrderView } from '../contract.js';
import type { OrderFilter, OrderPosition } from './order.repository.js';
import type { OrderReader } from './order-reader.service.js';
import type { OrdersDeps } from './orders.deps.js';

export interface OrderViewPage {
  items: OrderView[];
  /** where the next page starts (the HTTP adapter makes an opaque cursor of it), or null on the last page */
  next: OrderPosition | null;
}

/**
 * Every order matching the admin filters (GET /api/v1/admin/orders) — and, filtered by customer, a
 * customer's own (ListCustomerOrders). Newest first (`createdAt` descending, then id), keyset-paginated:
 * a page starts strictly after the position of the previous page's last order, so orders placed
 * meanwhile never shift a page and no order is listed twice or skipped. One statement per page for the
 * orders with their lines and history, one call per page to each view source.
 */
export class ListOrders {
  constructor(
    private readonly deps: OrdersDeps,
    private readonly reader: OrderReader,
  ) {}

  async execute(filter: OrderFilter, limit: number, after: OrderPosition | null): Promise<OrderViewPage> {
    const page = await this.deps.read.run(({ repos }) => repos.orders.page(filter, limit, after));
    return { items: await this.reader.views(page.orders), next: page.next };
  }
}
