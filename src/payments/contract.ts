/**
 * The payments context's public surface: its integration events (docs/product/events.md) and the facade checkout,
 * orders (views) and fulfilment (capture at first dispatch) call. Payments owns the payment aggregate,
 * its state machine and ledger of provider operations, and the `PaymentProvider` port with its
 * resilience (timeout, jittered retries, circuit breaker). Card data never reaches it: only the
 * provider token, brand and last four digits are stored.
 */
import { z } from 'zod';
import type { TransactionHandle } from '../platform/db/unit-of-work.js';
import { eventType } from '../platform/messaging/integration-event.js';
import type { Money } from '../platform/money.js';

export const PAYMENTS_CONTEXT = 'payments';

/** The largest amount (minor units) a payment, capture or refund may be for; requests above it are 400. */
export { MAX_PAYMENT_AMOUNT } from './domain/payment.aggregate.js';

// ---- integration events (docs/product/events.md) ----------------------------------------------------------

/**
 * PaymentAuthorized, PaymentCaptured, PaymentFailed, PaymentVoided, PaymentRefunded (docs/product/events.md), and
 * PaymentCaptureFailed (added: a capture attempt failed and will be retried; `reason` says why).
 */
export const paymentEventV1 = z.object({
  paymentId: z.uuid(),
  orderId: z.uuid(),
  /** integer minor units: what this operation authorized, captured, voided or refunded */
  amount: z.number().int(),
  currency: z.string().length(3),
  reason: z.string().optional(),
  /** PaymentRefunded: the refund this event reports (the id `requestRefund` was given, for a refund we asked for) */
  refundId: z.uuid().optional(),
});
export type PaymentEventV1 = z.infer<typeof paymentEventV1>;

export const PaymentEventTypes = {
  PaymentAuthorized: eventType(PAYMENTS_CONTEXT, 'PaymentAuthorized'),
  PaymentCaptured: eventType(PAYMENTS_CONTEXT, 'PaymentCaptured'),
  PaymentCaptureFailed: eventType(PAYMENTS_CONTEXT, 'PaymentCaptureFailed'),
  PaymentFailed: eventType(PAYMENTS_CONTEXT, 'PaymentFailed'),
  PaymentVoided: eventType(PAYMENTS_CONTEXT, 'PaymentVoided'),
  PaymentRefunded: eventType(PAYMENTS_CONTEXT, 'PaymentRefunded'),
} as const;

// ---- the facade ------------------------------------------------------------------------------

/**
 * PENDING: opened, not authorized yet (or the provider was unavailable) · AUTHORIZED · FAILED
 * (declined) · VOIDED · CAPTURED · PARTIALLY_REFUNDED · REFUNDED. VOID_PENDING: the order was
 * cancelled; the void (or, once captured, the refund) at the provider is still to be made.
 */
export type PaymentStatus =
  | 'PENDING'
  | 'AUTHORIZED'
  | 'FAILED'
  | 'VOID_PENDING'
  | 'VOIDED'
  | 'CAPTURED'
  | 'PARTIALLY_REFUNDED'
  | 'REFUNDED';

/** A payment as other contexts see it; the `payment` of the order view of docs/product/api.md. */
export interface PaymentView {
  id: string;
  orderId: string;
  status: PaymentStatus;
  provider: string;
  brand: string | null;
  last4: string | null;
  /** what the order asks for */
  amount: Money;
  authorized: Money;
  captured: Money;
  refunded: Money;
}

/**
 * What an authorization attempt came to. `unavailable`: timeout, 5xx or breaker open — try later.
 * `attemptId` (set by `requestAuthorization`) names the attempt: recording the same attempt twice
 * writes one ledger row.
 */
export type AuthorizationOutcome =
  | {
      result: 'authorized';
      paymentId: string;
      orderId: string;
      providerRef: string;
      brand: string;
      last4: string;
      attemptId?: string;
    }
  | { result: 'declined'; paymentId: string; orderId: string; reason: string; attemptId?: string }
  /**
   * the provider waits for the customer (3-D Secure): the payment stays PENDING, the order
   * PAYMENT_PENDING (202 with `nextAction`); the provider's webhook, or the pending-payment worker,
   * completes it
   */
  | {
      result: 'action_required';
      paymentId: string;
      orderId: string;
      providerRef: string;
      nextAction: { type: string; clientSecret: string };
      attemptId?: string;
    }
  | { result: 'unavailable'; paymentId: string; orderId: string; reason: string; attemptId?: string };

/**
 * What a refund's caller does inside its transactions: `begin` first in the one that reserves the
 * amount, `reserved` at its end (the refund is then under way: made now, or by the payments worker if
 * this process dies), `released` in the one that gives it back (the provider refused, or could not be
 * reached: nothing refunded).
 */
export interface RefundSteps {
  begin?: (tx: TransactionHandle) => Promise<void>;
  reserved?: (tx: TransactionHandle) => Promise<void>;
  released?: (tx: TransactionHandle) => Promise<void>;
}

/** pending: reserved, the provider call is due (made now, or retried by the payments worker) · succeeded · released: it did not happen (refused) */
export type RefundStatus = 'pending' | 'succeeded' | 'released';

/** A refund as other contexts see it (returns follows the refund of a receipt). */
export interface RefundView {
  id: string;
  orderId: string;
  amount: Money;
  status: RefundStatus;
  reason: string;
  /** why the provider refused it (released), or why the last attempt failed (pending); null otherwise */
  failure: string | null;
}

/**
 * What {@link PaymentsFacade.requestRefund} came to: `reserved` (the amount may be less than asked:
 * capped at captured − refunded − reserved); `nothing_refundable` (all that was captured is refunded or
 * reserved); `not_captured` (the capture is still due: ask again once it is made).
 */
export type RefundRequest =
  | { outcome: 'reserved'; refund: RefundView }
  | { outcome: 'nothing_refundable' }
  | { outcome: 'not_captured' };

export interface PaymentsFacade {
  /**
   * Opens the order's payment, PENDING, inside the caller's transaction (checkout step 1). One
   * payment per order: the same order again returns the existing one. A token the provider can
   * never accept (malformed) → 400 VALIDATION_FAILED naming `payment.token`.
   */
  open(
    input: { orderId: string; amount: number; currency: string; token: string },
    tx: TransactionHandle,
  ): Promise<PaymentView>;

  /**
   * Asks the provider to authorize the order's payment — outside any transaction, through timeout,
   * jittered retries and the circuit breaker, with an idempotency key derived from the payment, so
   * asking again (a retry, a worker after a crash) never authorizes twice. Records nothing: the
   * caller records the outcome with {@link recordAuthorization} in its own transaction.
   */
  requestAuthorization(orderId: string): Promise<AuthorizationOutcome>;

  /**
   * Records an outcome inside `tx`: authorized → AUTHORIZED (brand, last four) + ledger row +
   * `PaymentAuthorized`; declined → FAILED + `PaymentFailed`; unavailable → a ledger row only.
   * Recording the same outcome twice changes nothing.
   */
  recordAuthorization(outcome: AuthorizationOutcome, tx: TransactionHandle): Promise<PaymentView>;

  /**
   * Cancellation of the order inside `tx`: an AUTHORIZED (or CAPTURED) payment becomes VOID_PENDING
   * and is voided (or refunded in full) at the provider after the transaction — by {@link settle} or
   * the payments worker, retried until done; a PENDING one is voided too (an authorization may exist
   * at the provider); FAILED/VOIDED/REFUNDED: nothing. Null when the order has no payment.
   */
  cancel(orderId: string, reason: string, tx: TransactionHandle): Promise<PaymentView | null>;

  /** Makes the provider calls `cancel` scheduled for the order, now (outside any transaction). */
  settle(orderId: string): Promise<PaymentView | null>;

  /**
   * Captures the authorized amount now: provider call, then recorded with `PaymentCaptured` in its own
   * transaction. Idempotent: a captured payment is returned as is. 409 ILLEGAL_STATE_TRANSITION unless
   * AUTHORIZED; 503 UNAVAILABLE when the provider is.
   */
  capture(orderId: string): Promise<PaymentView>;

  /**
   * The order's first shipment was dispatched (checkout's reaction to ShipmentDispatched): inside `tx`,
   * the capture becomes due; once `tx` commits it is made at the provider at once and, while it fails
   * (`PaymentCaptureFailed` each time, visible in the order's history and `payment_operations_total`),
   * by the payments worker with backoff until it succeeds. Asked twice, or captured already: nothing.
   * 409 ILLEGAL_STATE_TRANSITION unless AUTHORIZED; null when the order has no payment.
   */
  requestCapture(orderId: string, tx: TransactionHandle): Promise<PaymentView | null>;

  /**
   * Refunds `amount` (all that remains when omitted) of what was captured: the amount is reserved
   * under a row lock first, so concurrent refunds never exceed captured − refunded (409 CONFLICT
   * beyond), then the provider is asked, then it is recorded with `PaymentRefunded`.
   * 503 UNAVAILABLE (nothing refunded) when the provider is. `steps` run inside the transactions
   * that reserve and release the amount (the caller's answer checkpoint, ADR 0009).
   */
  refund(
    orderId: string,
    input: { amount?: number; reason: string },
    steps?: RefundSteps,
  ): Promise<PaymentView>;

  /**
   * Reserves a refund of `amount` (capped at what is still refundable) inside the caller's transaction,
   * under the payment's row lock, with the caller's `refundId` (the provider's idempotency key). Once `tx`
   * commits it is made at the provider — by {@link settle}, or by the payments worker with backoff while
   * the provider is unavailable; a refusal releases it (`refundsOf` shows `released` and why). The same
   * `refundId` again returns the refund as it is. 404 when the order has no payment.
   */
  requestRefund(
    orderId: string,
    input: { refundId: string; amount: number; reason: string },
    tx: TransactionHandle,
  ): Promise<RefundRequest>;

  /** The refunds with these ids (unknown ids are absent); read on `tx` when given. */
  refundsOf(refundIds: readonly string[], tx?: TransactionHandle): Promise<Map<string, RefundView>>;

  /** The payments of these orders (views of orders, admin lists). */
  viewsOf(orderIds: readonly string[], tx?: TransactionHandle): Promise<Map<string, PaymentView>>;
}
