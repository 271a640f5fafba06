import { EntitySchema } from 'typeorm';

/** Row shapes of the payments tables (migrations/1763700001100-payments.ts); mapping in payment.mapper.ts. */
export interface PaymentRow {
  id: string;
  orderId: string;
  provider: string;
  status: string;
  currency: string;
  amount: number;
  token: string;
  brand: string | null;
  last4: string | null;
  authorizedAmount: number;
  capturedAmount: number;
  refundedAmount: number;
  providerRef: string | null;
  captureRef: string | null;
  failureReason: string | null;
  cancelReason: string | null;
  createdAt: Date;
  updatedAt: Date;
  version: number;
}

export interface PaymentRefundRow {
  id: string;
  paymentId: string;
  amount: number;
  reason: string;
  status: string;
  origin: string;
  providerRef: string | null;
  requestedAt: Date;
  settledAt: Date | null;
}

export interface PaymentOperationRow {
  seq: string;
  id: string;
  paymentId: string;
  kind: string;
  idempotencyKey: string;
  amount: number;
  outcome: string;
  providerRef: string | null;
  reason: string | null;
  source: string;
  at: Date;
}

export interface PaymentWebhookEventRow {
  provider: string;
  eventId: string;
  type: string;
  outcome: string;
  paymentId: string | null;
  receivedAt: Date;
}

const ts = { type: 'timestamptz' as const };

export const PaymentSchema = new EntitySchema<PaymentRow>({
  name: 'Payment',
  tableName: 'payments',
  columns: {
    id: { type: 'uuid', primary: true },
    orderId: { type: 'uuid', name: 'order_id', unique: true },
    provider: { type: 'text' },
    status: { type: 'text' },
    currency: { type: 'char', length: 3 },
    amount: { type: 'int' },
    token: { type: 'text' },
    brand: { type: 'text', nullable: true },
    last4: { type: 'char', length: 4, nullable: true },
    authorizedAmount: { type: 'int', name: 'authorized_amount' },
    capturedAmount: { type: 'int', name: 'captured_amount' },
    refundedAmount: { type: 'int', name: 'refunded_amount' },
    providerRef: { type: 'text', name: 'provider_ref', nullable: true },
    captureRef: { type: 'text', name: 'capture_ref', nullable: true },
    failureReason: { type: 'text', name: 'failure_reason', nullable: true },
    cancelReason: { type: 'text', name: 'cancel_reason', nullable: true },
    createdAt: { ...ts, name: 'created_at' },
    updatedAt: { ...ts, name: 'updated_at' },
    version: { type: 'int' },
  },
});

export const PaymentRefundSchema = new EntitySchema<PaymentRefundRow>({
  name: 'PaymentRefund',
  tableName: 'payment_refunds',
  columns: {
    id: { type: 'uuid', primary: true },
    paymentId: { type: 'uuid', name: 'payment_id' },
    amount: { type: 'int' },
    reason: { type: 'text' },
    status: { type: 'text' },
    origin: { type: 'text' },
    providerRef: { type: 'text', name: 'provider_ref', nullable: true },
    requestedAt: { ...ts, name: 'requested_at' },
    settledAt: { ...ts, name: 'settled_at', nullable: true },
  },
});

export const PaymentOperationSchema = new EntitySchema<PaymentOperationRow>({
  name: 'PaymentOperation',
  tableName: 'payment_operations',
  columns: {
    seq: { type: 'bigint', primary: true, generated: 'increment' },
    id: { type: 'uuid', unique: true },
    paymentId: { type: 'uuid', name: 'payment_id' },
    kind: { type: 'text' },
    idempotencyKey: { type: 'text', name: 'idempotency_key' },
    amount: { type: 'int' },
    outcome: { type: 'text' },
    providerRef: { type: 'text', name: 'provider_ref', nullable: true },
    reason: { type: 'text', nullable: true },
    source: { type: 'text' },
    at: { ...ts },
  },
});

export const PaymentWebhookEventSchema = new EntitySchema<PaymentWebhookEventRow>({
  name: 'PaymentWebhookEvent',
  tableName: 'payment_webhook_events',
  columns: {
    provider: { type: 'text', primary: true },
    eventId: { type: 'text', primary: true, name: 'event_id' },
    type: { type: 'text' },
    outcome: { type: 'text' },
    paymentId: { type: 'uuid', name: 'payment_id', nullable: true },
    receivedAt: { ...ts, name: 'received_at' },
  },
});

export const PAYMENTS_ENTITIES = [
  PaymentSchema,
  PaymentRefundSchema,
  PaymentOperationSchema,
  PaymentWebhookEventSchema,
];
