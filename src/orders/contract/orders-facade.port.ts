/**
 * The ports of orders towards the other contexts: the facade checkout and fulfilment call, and the
 * sources orders reads its views from (payments, fulfilment; wired in src/contexts.ts).
 */
import type { TransactionHandle } from '../../platform/db/unit-of-work.js';
import type {
  NewOrderLine,
  OrderActor,
  OrderAddress,
  OrderPaymentSummary,
  OrderReturnSummary,
  OrderShipmentSummary,
  OrderSnapshot,
  OrderStatus,
  OrderView,
} from './order.view.js';

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
  /** the returns of these orders (returns context; bound late) */
  returns(orderIds: readonly string[], tx?: TransactionHandle): Promise<Map<string, OrderReturnSummary[]>>;
}

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
  /** The docs/product/api.md view of the order (with payment and shipments), or null. */
  view(orderId: string, tx?: TransactionHandle): Promise<OrderView | null>;
  /** Ids of the orders placed from this cart, oldest first (none for an unknown cart). */
  idsOfCart(cartId: string, tx?: TransactionHandle): Promise<string[]>;
}
