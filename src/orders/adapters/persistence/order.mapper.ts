import { historyJson, type StatusHistoryJson } from '../../../platform/db/status-history.js';
import {
  Order,
  type OrderActorKind,
  type OrderAddress,
  type OrderHistoryEntry,
  type OrderLine,
  type OrderNote,
  type TaxMode,
} from '../../domain/order.aggregate.js';
import type { OrderStatus } from '../../domain/order.lifecycle.js';
import { ORDER_HISTORY } from './orders.entity-schemas.js';

/** An order row as `query` returns it (snake_case; bigint columns as strings). */
export interface RawOrderRow {
  id: string;
  number: string;
  status: OrderStatus;
  cart_id: string;
  customer_id: string | null;
  email: string | null;
  currency: string;
  tax_mode: TaxMode;
  subtotal: string;
  discount: string;
  shipping: string;
  tax: string;
  total: string;
  promotion_code: string | null;
  shipping_address: OrderAddress | null;
  shipping_option_code: string;
  shipping_option_name: string;
  created_at: Date;
  updated_at: Date;
  status_changed_at: Date;
  version: number;
}

/** Lines and history of an order as the children query aggregates them (json: numbers, ISO strings). */
export interface RawChildren {
  lines: {
    sku: string;
    name: string;
    quantity: number;
    unitPrice: number;
    subtotal: number;
    discount: number;
    lineTotal: number;
    tax: number;
  }[];
  history: StatusHistoryJson<OrderStatus, OrderActorKind>[];
  notes: { at: string; text: string; actorKind: OrderActorKind; actorId: string | null }[];
}

export const ORDER_COLUMNS = `id, number, status, cart_id, customer_id, email, currency, tax_mode, subtotal,
  discount, shipping, tax, total, promotion_code, shipping_address, shipping_option_code,
  shipping_option_name, created_at, updated_at, status_changed_at, version`;

/** The lines, history and notes of the order whose id is `${ref}`, as json columns `lines`, `history`, `notes`. */
export const childrenColumns = (ref: string): string => `
  (SELECT coalesce(json_agg(json_build_object(
      'sku', l.sku, 'name', l.name, 'quantity', l.quantity, 'unitPrice', l.unit_price,
      'subtotal', l.subtotal, 'discount', l.discount, 'lineTotal', l.line_total, 'tax', l.tax)
    ORDER BY l.position), '[]'::json)
   FROM orders_lines l WHERE l.order_id = ${ref}) AS lines,
  ${historyJson(ORDER_HISTORY, ref)} AS history,
  (SELECT coalesce(json_agg(json_build_object(
      'at', n.at, 'text', n.text, 'actorKind', n.actor_kind, 'actorId', n.actor_id)
    ORDER BY n.position), '[]'::json)
   FROM orders_notes n WHERE n.order_id = ${ref}) AS notes`;

/** A bigint column (minor units) as a JS number; never beyond 2^53. */
const minor = (value: string | number): number => {
  const n = Number(value);
  if (!Number.isSafeInteger(n)) throw new RangeError(`amount out of range: ${value}`);
  return n;
};

const toLine = (l: RawChildren['lines'][number]): OrderLine => ({
  sku: l.sku,
  name: l.name,
  quantity: l.quantity,
  unitPrice: minor(l.unitPrice),
  subtotal: minor(l.subtotal),
  discount: minor(l.discount),
  lineTotal: minor(l.lineTotal),
  tax: minor(l.tax),
});

const toHistory = (h: RawChildren['history'][number]): OrderHistoryEntry => ({
  from: h.from,
  status: h.status,
  at: new Date(h.at),
  reason: h.reason,
  actor: h.actorId ? { kind: h.actorKind, id: h.actorId } : { kind: h.actorKind },
});

const toNote = (n: RawChildren['notes'][number]): OrderNote => ({
  at: new Date(n.at),
  text: n.text,
  actor: n.actorId ? { kind: n.actorKind, id: n.actorId } : { kind: n.actorKind },
});

export const toOrder = (row: RawOrderRow, children: RawChildren): Order =>
  Order.restore({
    id: row.id,
    number: row.number,
    status: row.status,
    cartId: row.cart_id,
    customerId: row.customer_id,
    email: row.email,
    currency: row.currency,
    taxMode: row.tax_mode,
    lines: children.lines.map(toLine),
    subtotal: minor(row.subtotal),
    discount: minor(row.discount),
    shipping: minor(row.shipping),
    tax: minor(row.tax),
    total: minor(row.total),
    promotionCode: row.promotion_code,
    shippingAddress: row.shipping_address,
    shippingOption: { code: row.shipping_option_code, name: row.shipping_option_name },
    history: children.history.map(toHistory),
    notes: children.notes.map(toNote),
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    statusChangedAt: row.status_changed_at,
    version: row.version,
  });

/** The jsonb value stored for an address: every field, absent optional ones as null. */
export const addressJson = (a: OrderAddress): string =>
  JSON.stringify({
    name: a.name,
    line1: a.line1,
    line2: a.line2 ?? null,
    city: a.city,
    postalCode: a.postalCode,
    country: a.country,
    phone: a.phone ?? null,
  });
