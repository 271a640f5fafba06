import type { OrderSnapshot } from '../contract.js';
import type { Order } from '../domain/order.aggregate.js';

/** The order as other contexts see it (contract.ts OrderSnapshot). */
export const toSnapshot = (order: Order): OrderSnapshot => {
  const s = order.snapshot();
  return {
    id: s.id,
    number: s.number,
    status: s.status,
    cartId: s.cartId,
    customerId: s.customerId,
    email: s.email,
    currency: s.currency,
    taxMode: s.taxMode,
    lines: s.lines,
    subtotal: s.subtotal,
    discount: s.discount,
    shipping: s.shipping,
    tax: s.tax,
    total: s.total,
    promotionCode: s.promotionCode,
    shippingAddress: s.shippingAddress,
    shippingOption: s.shippingOption,
    history: s.history.map((h) => ({ status: h.status, at: h.at, reason: h.reason, actor: h.actor })),
    notes: s.notes.map((n) => ({ at: n.at, text: n.text, actor: n.actor })),
    createdAt: s.createdAt,
    updatedAt: s.updatedAt,
  };
};
