import type { RefundRecord } from '../../application/payment.repository.js';
import { Payment } from '../../domain/payment.aggregate.js';
import type { PaymentStatus } from '../../domain/payment.lifecycle.js';
import type { LedgerEntry, OperationOutcome, OperationSource } from '../../domain/payment-ledger.entity.js';
import type { RefundProps } from '../../domain/refund.entity.js';
import type { RefundStatus } from '../../domain/refund.lifecycle.js';

/** A `payments` row as `query` returns it (snake_case). */
export interface RawPaymentRow {
  id: string;
  order_id: string;
  provider: string;
  status: string;
  currency: string;
  amount: number;
  token: string;
  brand: string | null;
  last4: string | null;
  authorized_amount: number;
  captured_amount: number;
  refunded_amount: number;
  provider_ref: string | null;
  capture_ref: string | null;
  failure_reason: string | null;
  cancel_reason: string | null;
  capture_requested_at: Date | null;
  created_at: Date;
  updated_at: Date;
  version: number;
}

export interface RawRefundRow {
  id: string;
  payment_id: string;
  amount: number;
  reason: string;
  status: string;
  origin: string;
  provider_ref: string | null;
  requested_at: Date;
  settled_at: Date | null;
}

export const PAYMENT_COLUMNS = `id, order_id, provider, status, currency, amount, token, brand, last4,
  authorized_amount, captured_amount, refunded_amount, provider_ref, capture_ref, failure_reason,
  cancel_reason, created_at, updated_at, version, capture_requested_at`;

export const REFUND_COLUMNS =
  'id, payment_id, amount, reason, status, origin, provider_ref, requested_at, settled_at';

const toRefund = (r: RawRefundRow): RefundProps => ({
  id: r.id,
  amount: r.amount,
  reason: r.reason,
  status: r.status as RefundStatus,
  origin: r.origin as OperationSource,
  providerRef: r.provider_ref,
  requestedAt: r.requested_at,
  settledAt: r.settled_at,
});

/** A refund row with its payment's order and currency and its last failed call (`findRefunds`). */
export interface RawRefundRecordRow extends RawRefundRow {
  order_id: string;
  currency: string;
  failure_outcome: string | null;
  failure_reason: string | null;
}

export const toRefundRecord = (r: RawRefundRecordRow): RefundRecord => ({
  refund: toRefund(r),
  paymentId: r.payment_id,
  orderId: r.order_id,
  currency: r.currency,
  lastFailure:
    r.failure_outcome === null
      ? null
      : {
          outcome: r.failure_outcome as Exclude<OperationOutcome, 'succeeded'>,
          reason: r.failure_reason,
        },
});

/** Rows → the aggregate (its refunds in the order they were requested). */
export const toPayment = (row: RawPaymentRow, refunds: readonly RawRefundRow[]): Payment =>
  Payment.restore({
    id: row.id,
    orderId: row.order_id,
    provider: row.provider,
    status: row.status as PaymentStatus,
    currency: row.currency,
    amount: row.amount,
    token: row.token,
    brand: row.brand,
    last4: row.last4,
    authorized: row.authorized_amount,
    captured: row.captured_amount,
    refunded: row.refunded_amount,
    providerRef: row.provider_ref,
    captureRef: row.capture_ref,
    failureReason: row.failure_reason,
    cancelReason: row.cancel_reason,
    captureRequestedAt: row.capture_requested_at,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    version: row.version,
    refunds: refunds.map(toRefund),
  });

/** The aggregate → the parameters of the `payments` row, in PAYMENT_COLUMNS order. */
export const paymentParams = (payment: Payment): unknown[] => {
  const p = payment.snapshot();
  return [
    p.id,
    p.orderId,
    p.provider,
    p.status,
    p.currency,
    p.amount,
    p.token,
    p.brand,
    p.last4,
    p.authorized,
    p.captured,
    p.refunded,
    p.providerRef,
    p.captureRef,
    p.failureReason,
    p.cancelReason,
    p.createdAt,
    p.updatedAt,
    p.version,
    p.captureRequestedAt,
  ];
};

export const refundParams = (paymentId: string, r: RefundProps): unknown[] => [
  r.id,
  paymentId,
  r.amount,
  r.reason,
  r.status,
  r.origin,
  r.providerRef,
  r.requestedAt,
  r.settledAt,
];

export const ledgerParams = (e: LedgerEntry): unknown[] => [
  e.id,
  e.paymentId,
  e.kind,
  e.idempotencyKey,
  e.amount,
  e.outcome,
  e.providerRef,
  e.reason,
  e.source,
  e.at,
];
