import type { TransactionHandle } from '../../platform/db/unit-of-work.js';
import { type Money, money } from '../../platform/money.js';
import type { OrderPaymentSummary, OrderShipmentSummary, OrderView } from '../contract.js';
import type { Order, OrderAddress } from '../domain/order.aggregate.js';
import type { GetOrder } from './get-order.query.js';
import type { OrdersDeps } from './orders.deps.js';

const address = (a: OrderAddress | null): OrderView['shippingAddress'] =>
  a
    ? {
        name: a.name,
        line1: a.line1,
        line2: a.line2 ?? null,
        city: a.city,
        postalCode: a.postalCode,
        country: a.country,
        phone: a.phone ?? null,
      }
    : null;

const payment = (p: OrderPaymentSummary | undefined): OrderPaymentSummary | null =>
  p
    ? {
        status: p.status,
        brand: p.brand,
        last4: p.last4,
        authorized: p.authorized,
        captured: p.captured,
        refunded: p.refunded,
      }
    : null;

const shipment = (s: OrderShipmentSummary): OrderShipmentSummary => ({
  id: s.id,
  status: s.status,
  warehouseId: s.warehouseId,
  trackingNumber: s.trackingNumber,
});

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
    return orders.map((order) => {
      const s = order.snapshot();
      const m = (amount: number): Money => money(amount, s.currency);
      return {
        id: s.id,
        number: s.number,
        status: s.status,
        customerId: s.customerId,
        email: s.email,
        currency: s.currency,
        items: s.lines.map((l) => ({
          sku: l.sku,
          name: l.name,
          quantity: l.quantity,
          unitPrice: m(l.unitPrice),
          lineTotal: m(l.lineTotal),
        })),
        subtotal: m(s.subtotal),
        discount: m(s.discount),
        shipping: m(s.shipping),
        tax: m(s.tax),
        total: m(s.total),
        promotionCode: s.promotionCode,
        shippingAddress: address(s.shippingAddress),
        shippingOption: { code: s.shippingOption.code, name: s.shippingOption.name },
        payment: payment(payments.get(s.id)),
        shipments: (shipments.get(s.id) ?? []).map(shipment),
        history: s.history.map((h) => ({ status: h.status, at: h.at.toISOString(), reason: h.reason })),
        createdAt: s.createdAt.toISOString(),
      };
    });
  }
}

/** The sources of an orders context on its own: no payment, no shipments. */
export const NO_VIEW_SOURCES: OrdersDeps['views'] = {
  payments: async () => new Map(),
  shipments: async () => new Map(),
};
