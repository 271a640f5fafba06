import type { TransactionHandle } from '../../platform/db/unit-of-work.js';
import { type OrderView, renderOrderView } from '../contract.js';
import type { Order } from '../domain/order.aggregate.js';
import type { GetOrder } from './get-order.query.js';
import { toSnapshot } from './order-snapshot.mapper.js';
import type { OrdersDeps } from './orders.deps.js';

/**
 * The order of API.md: the order's own fields (Money objects, ISO timestamps), the payment as payments
 * reports it and the shipments as fulfilment does — both read once per batch of orders through the
 * `OrderViewSources` port, on the caller's transaction when it passes one.
 */
export class OrderViews {
  constructor(
    private readonly deps: OrdersDeps,
    private readonly get: GetOrder,
  ) {}

  /** The view of one order (read on `tx` when given, without a lock), or null. */
  async one(orderId: string, tx?: TransactionHandle): Promise<OrderView | null> {
    const order = await this.get.load(orderId, tx, false);
    if (!order) return null;
    const [view] = await this.of([order], tx);
    return view ?? null;
  }

  /** The views of these orders, in their order: payments and shipments in one call each. */
  async of(orders: readonly Order[], tx?: TransactionHandle): Promise<OrderView[]> {
    if (orders.length === 0) return [];
    const ids = orders.map((o) => o.id);
    const payments = await this.deps.views.payments(ids, tx);
    const shipments = await this.deps.views.shipments(ids, tx);
    return orders.map((order) =>
      renderOrderView(toSnapshot(order), payments.get(order.id), shipments.get(order.id)),
    );
  }
}

/** The sources of an orders context on its own: no payment, no shipments. */
export const NO_VIEW_SOURCES: OrdersDeps['views'] = {
  payments: async () => new Map(),
  shipments: async () => new Map(),
};
