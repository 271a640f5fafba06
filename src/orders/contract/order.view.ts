/**
 * The order as other contexts see it — its status list, snapshot, the docs/product/api.md view and the pure
 * function that renders it. Public types of their own (contract.ts): the domain's are mapped to them
 * (application/order-snapshot.mapper.ts), never re-exported.
 */
import type { Money } from '../../platform/money.js';
import { ORDER_STATUS_VALUES } from '../domain/order.lifecycle.js';

/** docs/product/spec.md "Order state machine", in order: the domain's own list, not a second copy of it. */
export const ORDER_STATUSES = ORDER_STATUS_VALUES;
export type OrderStatus = (typeof ORDER_STATUSES)[number];

/** Who moved an order: a customer or admin (with their user id), a guest, or the system (workers, sagas). */
export interface OrderActor {
  kind: 'customer' | 'guest' | 'admin' | 'system';
  /** the user id of a customer or admin; absent for guests and the system */
  id?: string;
}

/** The shipping address of an order. */
export interface OrderAddress {
  name: string;
  line1: string;
  line2?: string | null;
  city: string;
  postalCode: string;
  country: string;
  phone?: string | null;
}

/** A priced line as pricing quoted it (integer minor units of the order's currency). */
export interface NewOrderLine {
  sku: string;
  name: string;
  quantity: number;
  unitPrice: number;
  /** unitPrice × quantity */
  subtotal: number;
  /** this line's share of the order's discount */
  discount: number;
  /** subtotal − discount */
  lineTotal: number;
  tax: number;
}

export interface OrderHistoryEntry {
  status: OrderStatus;
  at: Date;
  reason: string | null;
  actor: OrderActor;
}

/** Something that happened to an order without moving it (a payment capture failed and is retried). */
export interface OrderNoteEntry {
  at: Date;
  text: string;
  actor: OrderActor;
}

/** An order as other contexts see it (amounts in minor units of `currency`). */
export interface OrderSnapshot {
  id: string;
  /** human-readable, unique per region: `EU-000123` */
  number: string;
  status: OrderStatus;
  cartId: string;
  customerId: string | null;
  /** null once the customer's personal data was erased */
  email: string | null;
  currency: string;
  taxMode: 'inclusive' | 'exclusive';
  lines: NewOrderLine[];
  subtotal: number;
  discount: number;
  shipping: number;
  tax: number;
  total: number;
  promotionCode: string | null;
  /** null once erased */
  shippingAddress: OrderAddress | null;
  shippingOption: { code: string; name: string };
  /** every move, oldest first */
  history: OrderHistoryEntry[];
  /** notes that did not move the order, oldest first */
  notes: OrderNoteEntry[];
  createdAt: Date;
  updatedAt: Date;
}

/** The payment part of the order view (docs/product/api.md), as payments reports it. */
export interface OrderPaymentSummary {
  status: string;
  brand: string | null;
  last4: string | null;
  authorized: Money;
  captured: Money;
  refunded: Money;
  /** only in the 202 answer of a checkout whose provider waits for the customer (3-D Secure) */
  nextAction?: { type: string; clientSecret: string };
}

/** The shipment part of the order view (docs/product/api.md); empty until fulfilment creates shipments. */
export interface OrderShipmentSummary {
  id: string;
  status: string;
  warehouseId: string;
  trackingNumber: string | null;
}

/** The return part of the order view (docs/product/api.md `returns:[{id, number, status, refund}]`). */
export interface OrderReturnSummary {
  id: string;
  number: string;
  status: string;
  refund: Money | null;
}

/** The order of docs/product/api.md, as its routes answer it (JSON-ready: Money objects, ISO timestamps). */
export interface OrderView {
  id: string;
  number: string;
  status: OrderStatus;
  customerId: string | null;
  email: string | null;
  currency: string;
  items: { sku: string; name: string; quantity: number; unitPrice: Money; lineTotal: Money }[];
  subtotal: Money;
  discount: Money;
  shipping: Money;
  tax: Money;
  total: Money;
  promotionCode: string | null;
  /** every field present (absent optional ones as null); null once erased */
  shippingAddress:
    | (Omit<OrderAddress, 'line2' | 'phone'> & { line2: string | null; phone: string | null })
    | null;
  shippingOption: { code: string; name: string };
  payment: OrderPaymentSummary | null;
  shipments: OrderShipmentSummary[];
  /** the order's returns as the returns context reports them; empty until one is requested */
  returns: OrderReturnSummary[];
  history: { status: OrderStatus; at: string; reason: string | null }[];
  notes: { at: string; text: string }[];
  createdAt: string;
}

/**
 * The docs/product/api.md view of an order from its snapshot and what payments, fulfilment and returns
 * report — a pure function, so checkout can answer with an order it holds in memory when the database is
 * busy.
 */
export const renderOrderView = (
  s: OrderSnapshot,
  payment?: OrderPaymentSummary | null,
  shipments: readonly OrderShipmentSummary[] = [],
  returns: readonly OrderReturnSummary[] = [],
): OrderView => {
  const m = (amount: number): Money => ({ amount, currency: s.currency });
  const a = s.shippingAddress;
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
    shippingAddress: a
      ? {
          name: a.name,
          line1: a.line1,
          line2: a.line2 ?? null,
          city: a.city,
          postalCode: a.postalCode,
          country: a.country,
          phone: a.phone ?? null,
        }
      : null,
    shippingOption: { code: s.shippingOption.code, name: s.shippingOption.name },
    payment: payment
      ? {
          status: payment.status,
          brand: payment.brand,
          last4: payment.last4,
          authorized: payment.authorized,
          captured: payment.captured,
          refunded: payment.refunded,
        }
      : null,
    shipments: shipments.map((x) => ({
      id: x.id,
      status: x.status,
      warehouseId: x.warehouseId,
      trackingNumber: x.trackingNumber,
    })),
    returns: returns.map((r) => ({
      id: r.id,
      number: r.number,
      status: r.status,
      refund: r.refund ? { amount: r.refund.amount, currency: r.refund.currency } : null,
    })),
    history: s.history.map((h) => ({ status: h.status, at: h.at.toISOString(), reason: h.reason })),
    notes: s.notes.map((n) => ({ at: n.at.toISOString(), text: n.text })),
    createdAt: s.createdAt.toISOString(),
  };
};
