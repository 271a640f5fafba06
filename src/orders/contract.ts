/**
 * The orders context's public surface: its integration events (EVENTS.md: versioned zod schemas, ids
 * and facts only, never personal data) and the facade checkout and fulfilment call. Orders owns the
 * order aggregate, its state machine, status history, numbers and the order views of API.md;
 * checkout (src/checkout) orchestrates placing, cancelling and refunding across contexts.
 */
import { z } from 'zod';
import type { TransactionHandle } from '../platform/db/unit-of-work.js';
import { moneySchema } from '../platform/http/schemas.js';
import { eventType } from '../platform/messaging/integration-event.js';
import type { Money } from '../platform/money.js';
import type { OrderActor, OrderAddress, OrderLine } from './domain/order.aggregate.js';
import { ORDER_STATUS_VALUES, type OrderStatus } from './domain/order-status.js';

export const ORDERS_CONTEXT = 'orders';

/** SPEC.md "Order state machine", in order: the domain's own list, not a second copy of it. */
export const ORDER_STATUSES = ORDER_STATUS_VALUES;
/** Who moved an order (a customer or admin with their user id, a guest, the system), and its address. */
export type { OrderActor, OrderAddress, OrderStatus };
/** A priced line as pricing quoted it (integer minor units of the order's currency). */
export type NewOrderLine = OrderLine;

// ---- integration events (EVENTS.md) ----------------------------------------------------------

export const orderPlacedV1 = z.object({
  orderId: z.uuid(),
  number: z.string(),
  customerId: z.uuid().optional(),
  currency: z.string().length(3),
  /** integer minor units */
  total: z.number().int(),
  lines: z.array(
    z.object({ sku: z.string(), quantity: z.number().int().positive(), unitPrice: z.number().int() }),
  ),
});
/** OrderConfirmed, OrderCancelled, OrderShipped, OrderDelivered, OrderCompleted */
export const orderStatusChangedV1 = z.object({
  orderId: z.uuid(),
  number: z.string(),
  reason: z.string().optional(),
});
export type OrderPlacedV1 = z.infer<typeof orderPlacedV1>;
export type OrderStatusChangedV1 = z.infer<typeof orderStatusChangedV1>;

export const OrderEventTypes = {
  OrderPlaced: eventType(ORDERS_CONTEXT, 'OrderPlaced'),
  OrderConfirmed: eventType(ORDERS_CONTEXT, 'OrderConfirmed'),
  OrderCancelled: eventType(ORDERS_CONTEXT, 'OrderCancelled'),
  OrderShipped: eventType(ORDERS_CONTEXT, 'OrderShipped'),
  OrderDelivered: eventType(ORDERS_CONTEXT, 'OrderDelivered'),
  OrderCompleted: eventType(ORDERS_CONTEXT, 'OrderCompleted'),
} as const;

/** The event a move into each status writes (none for CREATED, PAYMENT_PENDING, PAYMENT_AUTHORIZED, PROCESSING). */
export const EVENT_OF_STATUS: Partial<Record<OrderStatus, string>> = {
  CONFIRMED: OrderEventTypes.OrderConfirmed,
  CANCELLED: OrderEventTypes.OrderCancelled,
  SHIPPED: OrderEventTypes.OrderShipped,
  DELIVERED: OrderEventTypes.OrderDelivered,
  COMPLETED: OrderEventTypes.OrderCompleted,
};

// ---- the facade ------------------------------------------------------------------------------

/** What checkout hands to orders to create an order (every amount from pricing's quote). */
export interface NewOrder {
  /** chosen by checkout (the reservation and the payment refer to it) */
  id: string;
  cartId: string;
  customerId: string | null;
  /** the guest's email or the account's; lower-cased */
  email: string;
  currency: string;
  taxMode: 'inclusive' | 'exclusive';
  lines: NewOrderLine[];
  subtotal: number;
  discount: number;
  shipping: number;
  tax: number;
  total: number;
  promotionCode: string | null;
  shippingAddress: OrderAddress;
  shippingOption: { code: string; name: string };
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

/** The payment part of the order view (API.md), as payments reports it. */
export interface OrderPaymentSummary {
  status: string;
  brand: string | null;
  last4: string | null;
  authorized: Money;
  captured: Money;
  refunded: Money;
}

/** The shipment part of the order view (API.md); empty until fulfilment creates shipments. */
export interface OrderShipmentSummary {
  id: string;
  status: string;
  warehouseId: string;
  trackingNumber: string | null;
}

/**
 * What orders reads from payments and fulfilment to build its views (wired in src/contexts.ts). `tx`:
 * the caller's transaction when `view` was called inside one — read on it, never on a second pooled
 * connection (ADR 0013).
 */
export interface OrderViewSources {
  payments(orderIds: readonly string[], tx?: TransactionHandle): Promise<Map<string, OrderPaymentSummary>>;
  shipments(
    orderIds: readonly string[],
    tx?: TransactionHandle,
  ): Promise<Map<string, OrderShipmentSummary[]>>;
}

/** The order of API.md, as its routes answer it (JSON-ready: Money objects, ISO timestamps). */
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
  history: { status: OrderStatus; at: string; reason: string | null }[];
  notes: { at: string; text: string }[];
  createdAt: string;
}

/**
 * The API.md view of an order from its snapshot and what payments and fulfilment report — a pure
 * function, so checkout can answer with an order it holds in memory when the database is busy.
 */
export const renderOrderView = (
  s: OrderSnapshot,
  payment?: OrderPaymentSummary | null,
  shipments: readonly OrderShipmentSummary[] = [],
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
    history: s.history.map((h) => ({ status: h.status, at: h.at.toISOString(), reason: h.reason })),
    notes: s.notes.map((n) => ({ at: n.at.toISOString(), text: n.text })),
    createdAt: s.createdAt.toISOString(),
  };
};

/**
 * The zod schema of {@link OrderView}, the `Order` of the OpenAPI document: the response schema of
 * every route that answers an order — orders' own and checkout's (`POST /api/v1/orders`, cancel), so
 * the document has one `Order`.
 */
export const orderViewSchema = z
  .object({
    id: z.uuid(),
    number: z.string().describe('human-readable, unique in the region: `EU-000123`'),
    status: z.enum(ORDER_STATUSES),
    customerId: z.uuid().nullable().describe('null for a guest order'),
    email: z.string().nullable().describe('null once the customer’s personal data was erased'),
    currency: z.string().length(3),
    items: z.array(
      z.object({
        sku: z.string(),
        name: z.string(),
        quantity: z.number().int(),
        unitPrice: moneySchema,
        lineTotal: moneySchema.describe('unitPrice × quantity − this line’s share of the discount'),
      }),
    ),
    subtotal: moneySchema,
    discount: moneySchema,
    shipping: moneySchema,
    tax: moneySchema.describe('contained in the total where the region includes tax, else added to it'),
    total: moneySchema,
    promotionCode: z.string().nullable(),
    shippingAddress: z
      .object({
        name: z.string(),
        line1: z.string(),
        line2: z.string().nullable(),
        city: z.string(),
        postalCode: z.string(),
        country: z.string(),
        phone: z.string().nullable(),
      })
      .meta({ id: 'OrderAddress' })
      .nullable()
      .describe('null once the customer’s personal data was erased'),
    shippingOption: z.object({ code: z.string(), name: z.string() }),
    payment: z
      .object({
        status: z.string(),
        brand: z.string().nullable(),
        last4: z.string().nullable(),
        authorized: moneySchema,
        captured: moneySchema,
        refunded: moneySchema,
      })
      .nullable()
      .describe('null until the order has a payment'),
    shipments: z.array(
      z.object({
        id: z.uuid(),
        status: z.string(),
        warehouseId: z.uuid(),
        trackingNumber: z.string().nullable(),
      }),
    ),
    history: z
      .array(
        z.object({ status: z.enum(ORDER_STATUSES), at: z.iso.datetime(), reason: z.string().nullable() }),
      )
      .describe(
        'every status the order went through, oldest first: one entry per move (what happened without a move is in `notes`)',
      ),
    notes: z
      .array(z.object({ at: z.iso.datetime(), text: z.string() }))
      .describe(
        'what happened to the order without moving it, oldest first: a payment capture that failed and is retried, the capture made',
      ),
    createdAt: z.iso.datetime(),
  })
  .meta({ id: 'Order' });

/**
 * Orders as checkout and fulfilment use them. Writes run inside the caller's transaction `tx` (one
 * transaction per saga step); reads take `tx` when the caller holds one (connection-guard.ts).
 */
export interface OrdersFacade {
  /**
   * Creates the order inside `tx`: number assigned, status CREATED → PAYMENT_PENDING (two history
   * rows), `OrderPlaced` in the outbox. The same `id` twice → 409 CONFLICT.
   */
  place(order: NewOrder, actor: OrderActor, tx: TransactionHandle): Promise<OrderSnapshot>;
  /** The order, locked for the rest of `tx` when given; null when unknown. */
  get(orderId: string, tx?: TransactionHandle): Promise<OrderSnapshot | null>;
  /**
   * Moves the order to `to` inside `tx` along the state machine, with a history row (actor, reason)
   * and the status's event (EVENT_OF_STATUS). An illegal move — staying put included — throws
   * IllegalStateTransitionError (409 ILLEGAL_STATE_TRANSITION). Several statuses move through each in
   * turn (a history row and event each) with one read and one write of the order.
   */
  transition(
    orderId: string,
    to: OrderStatus | readonly OrderStatus[],
    by: { actor: OrderActor; reason?: string },
    tx: TransactionHandle,
  ): Promise<OrderSnapshot>;
  /**
   * Adds a note to the order inside `tx` without moving it (`reason` is its text, e.g. a payment
   * capture that failed and is retried): the view's `notes`, not a history entry — the history holds
   * moves only. The same text as the latest note is not repeated. Unknown order: 404.
   */
  note(
    orderId: string,
    by: { actor: OrderActor; reason: string },
    tx: TransactionHandle,
  ): Promise<OrderSnapshot>;
  /** Ids of orders in `status` last changed before `before`, oldest first (background workers). */
  idsInStatus(status: OrderStatus, before: Date, limit: number): Promise<string[]>;
  /** The API.md view of the order (with payment and shipments), or null. */
  view(orderId: string, tx?: TransactionHandle): Promise<OrderView | null>;
  /** Ids of the orders placed from this cart, oldest first (none for an unknown cart). */
  idsOfCart(cartId: string, tx?: TransactionHandle): Promise<string[]>;
}
