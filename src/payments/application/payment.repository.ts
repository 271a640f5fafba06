import type { Payment } from '../domain/payment.aggregate.js';
import type { OperationOutcome } from '../domain/payment-ledger.entity.js';
import type { RefundProps } from '../domain/refund.entity.js';

/** A refund as `refundsOf` reads it: the refund, whose payment it is, and its last provider call that failed. */
export interface RefundRecord {
  refund: RefundProps;
  paymentId: string;
  orderId: string;
  currency: string;
  /** the newest ledger row of a call for this refund that did not succeed (its outcome and reason), or null */
  lastFailure: { outcome: Exclude<OperationOutcome, 'succeeded'>; reason: string | null } | null;
}

/** Persistence port of payments: the payment row, its refunds, and the ledger rows it appended. */
export interface PaymentRepository {
  /** The order's payment, without a lock. */
  findByOrder(orderId: string): Promise<Payment | null>;
  /** The order's payment, locked for the rest of the transaction. */
  lockByOrder(orderId: string): Promise<Payment | null>;
  /** The payment, locked for the rest of the transaction. */
  lockById(paymentId: string): Promise<Payment | null>;
  /** The payment of a provider's authorization reference, locked. */
  lockByProviderRef(provider: string, reference: string): Promise<Payment | null>;
  /** Inserts; false when the order has a payment already (a concurrent open), without aborting the transaction. */
  insert(payment: Payment): Promise<boolean>;
  /** Writes the payment row, its changed refunds and its new ledger rows (a ledger row already written is kept). */
  save(payment: Payment): Promise<void>;
  /** The payments of these orders, without a lock. */
  listByOrders(orderIds: readonly string[]): Promise<Payment[]>;
  /**
   * Orders whose payments have provider calls due (a capture asked for, VOID_PENDING, or refunds reserved) and were last
   * changed before `before`, oldest first.
   */
  dueForSettlement(before: Date, limit: number): Promise<string[]>;
  /** The refunds with these ids (UUIDs), whatever their payment, without a lock; unknown ids are absent. */
  findRefunds(refundIds: readonly string[]): Promise<RefundRecord[]>;
}

/** Provider webhook events already received, so a replayed one has no effect (same transaction as its effect). */
export interface WebhookEventLog {
  /** Records the event; false when it was recorded before (a replay). Waits for a concurrent duplicate to finish. */
  claim(provider: string, eventId: string, type: string, at: Date): Promise<boolean>;
  /** What the event came to, for the record. */
  settle(provider: string, eventId: string, outcome: string, paymentId: string | null): Promise<void>;
}

export interface PaymentRepos {
  payments: PaymentRepository;
  webhooks: WebhookEventLog;
}
