import { readWithin, type TransactionHandle } from '../../platform/db/unit-of-work.js';
import { isUuid } from '../../platform/ids.js';
import { type OrderView, renderOrderView } from '../contract.js';
import type { Order } from '../domain/order.aggregate.js';
import { toSnapshot } from './order-snapshot.mapper.js';
import type { OrdersDeps } from './orders.deps.js';

/**
 * What the orders queries share: reading the aggregate, and the order of docs/product/api.md — the order's own
 * fields (Money objects, ISO timestamps), the payment as payments reports it, the shipments as
 * fulfilment does and the returns as the returns context does, each read once per batch of orders
 * through the `OrderViewSources` port, on the caller's transaction when it passes one.
 */
export class OrderReader {
  constructor(private readonly deps: OrdersDeps) {}

  /** The aggregate, read on `tx` when given, and locked when `lock` (by default: when `tx` is given). */
  load(orderId: string, tx?: TransactionHandle, lock = tx !== undefined): Promise<Order | null> {
    if (!isUuid(orderId)) return Promise.resolve(null);
    return readWithin(this.deps.read, tx, ({ repos }) =>
      lock ? repos.orders.findForUpdate(orderId) : repos.orders.find(orderId),
    );
  }

  /** The views of these orders, in their order: payments, shipments and returns in one call each. */
  async views(orders: readonly Order[], tx?: TransactionHandle): Promise<OrderView[]> {
    if (orders.length === 0) return [];
    const ids = orders.map((o) => o.id);
    const payments = await this.deps.views.payments(ids, tx);
    const shipments = await this.deps.views.shipments(ids, tx);
    // one after the other: on the caller's transaction the sources share one connection
    const returns = await this.deps.views.returns(ids, tx);
    return orders.map((order) =>
      renderOrderView(
        toSnapshot(order),
        payments.get(order.id),
        shipments.get(order.id),
        returns.get(order.id),
      ),
    );
  }
}

/** The sources of an orders context on its own: no payment, no shipments, no returns. */
export const NO_VIEW_SOURCES: OrdersDeps['views'] = {
  payments: async () => new Map(),
  shipments: async () => new Map(),
  returns: async () => new Map(),
};
