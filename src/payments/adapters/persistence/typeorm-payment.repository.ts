import type { EntityManager } from 'typeorm';
import { returnedRows } from '../../../platform/db/typeorm-unit-of-work.js';
import type {
  PaymentRepos,
  PaymentRepository,
  RefundRecord,
  WebhookEventLog,
} from '../../application/payment.repository.js';
import type { Payment } from '../../domain/payment.aggregate.js';
import {
  ledgerParams,
  PAYMENT_COLUMNS,
  paymentParams,
  type RawPaymentRow,
  type RawRefundRecordRow,
  type RawRefundRow,
  REFUND_COLUMNS,
  refundParams,
  toPayment,
  toRefundRecord,
} from './payment.mapper.js';

/** A refund row as json_build_object gives it: timestamps as ISO text. */
type RawRefundJson = Omit<RawRefundRow, 'requested_at' | 'settled_at'> & {
  requested_at: string;
  settled_at: string | null;
};
const REFUND_JSON = REFUND_COLUMNS.split(', ')
  .map((c) => `'${c}', r.${c}`)
  .join(', ');
const fromRefundJson = (r: RawRefundJson): RawRefundRow => ({
  ...r,
  requested_at: new Date(r.requested_at),
  settled_at: r.settled_at === null ? null : new Date(r.settled_at),
});

const placeholders = (count: number, from = 1) =>
  Array.from({ length: count }, (_, i) => `$${i + from}`).join(', ');

/** Payments, their refunds and their ledger in Postgres (parameterised SQL only). */
export class TypeOrmPaymentRepository implements PaymentRepository {
  constructor(private readonly m: EntityManager) {}

  findByOrder(orderId: string): Promise<Payment | null> {
    return this.unlocked('order_id = $1', [orderId]).then((found) => found[0] ?? null);
  }

  lockByOrder(orderId: string): Promise<Payment | null> {
    return this.one('SELECT %COLUMNS% FROM payments WHERE order_id = $1 FOR UPDATE', [orderId]);
  }

  lockById(paymentId: string): Promise<Payment | null> {
    return this.one('SELECT %COLUMNS% FROM payments WHERE id = $1 FOR UPDATE', [paymentId]);
  }

  lockByProviderRef(provider: string, reference: string): Promise<Payment | null> {
    return this.one('SELECT %COLUMNS% FROM payments WHERE provider = $1 AND provider_ref = $2 FOR UPDATE', [
      provider,
      reference,
    ]);
  }

  async insert(payment: Payment): Promise<boolean> {
    const rows: unknown[] = await this.m.query(
      `INSERT INTO payments (${PAYMENT_COLUMNS}) VALUES (${placeholders(20)})
       ON CONFLICT (order_id) DO NOTHING RETURNING id`,
      paymentParams(payment),
    );
    if (rows.length === 0) return false;
    await this.writeChanges(payment);
    return true;
  }

  async save(payment: Payment): Promise<void> {
    const p = payment.snapshot();
    const result = await this.m.query(
      `UPDATE payments SET status = $2, brand = $3, last4 = $4, authorized_amount = $5, captured_amount = $6,
         refunded_amount = $7, provider_ref = $8, capture_ref = $9, failure_reason = $10, cancel_reason = $11,
         updated_at = $12, capture_requested_at = $13, version = version + 1
       WHERE id = $1 RETURNING version`,
      [
        p.id,
        p.status,
        p.brand,
        p.last4,
        p.authorized,
        p.captured,
        p.refunded,
        p.providerRef,
        p.captureRef,
        p.failureReason,
        p.cancelReason,
        p.updatedAt,
        p.captureRequestedAt,
      ],
    );
    if (returnedRows(result).length !== 1) throw new Error(`payment ${p.id} vanished`);
    await this.writeChanges(payment);
    payment.saved();
  }

  listByOrders(orderIds: readonly string[]): Promise<Payment[]> {
    return this.unlocked('order_id = ANY($1::uuid[])', [[...orderIds]]);
  }

  async dueForSettlement(before: Date, limit: number): Promise<string[]> {
    const rows: { order_id: string }[] = await this.m.query(
      `SELECT order_id FROM (
         SELECT order_id, updated_at FROM payments WHERE status = 'VOID_PENDING' AND updated_at < $1
         UNION
         SELECT order_id, updated_at FROM payments
         WHERE status = 'AUTHORIZED' AND capture_requested_at IS NOT NULL AND updated_at < $1
         UNION
         SELECT p.order_id, p.updated_at FROM payment_refunds r JOIN payments p ON p.id = r.payment_id
         WHERE r.status = 'pending' AND p.updated_at < $1
       ) due ORDER BY updated_at LIMIT $2`,
      [before, limit],
    );
    return rows.map((r) => r.order_id);
  }

  async findRefunds(refundIds: readonly string[]): Promise<RefundRecord[]> {
    if (refundIds.length === 0) return [];
    // the newest ledger row of a call for the refund (keyed by its id) that did not succeed: why it failed
    const rows: RawRefundRecordRow[] = await this.m.query(
      `SELECT ${REFUND_COLUMNS.split(', ')
        .map((c) => `r.${c}`)
        .join(', ')}, p.order_id, p.currency, f.outcome AS failure_outcome, f.reason AS failure_reason
       FROM payment_refunds r
       JOIN payments p ON p.id = r.payment_id
       LEFT JOIN LATERAL (
         SELECT o.outcome, o.reason FROM payment_operations o
         WHERE o.payment_id = r.payment_id AND o.kind = 'refund' AND o.idempotency_key = r.id::text
           AND o.outcome <> 'succeeded'
         ORDER BY o.seq DESC LIMIT 1
       ) f ON true
       WHERE r.id = ANY($1::uuid[])
       ORDER BY r.requested_at, r.id`,
      [[...refundIds]],
    );
    return rows.map(toRefundRecord);
  }

  /**
   * Unlocked reads: each payment with its refunds in one statement (one snapshot). The locking reads
   * (`one`) read the refunds in a statement of their own, whose snapshot is taken after the lock was
   * granted, so that they see every refund the previous holder of the lock committed.
   */
  private async unlocked(where: string, params: unknown[]): Promise<Payment[]> {
    const rows: (RawPaymentRow & { refunds: RawRefundJson[] })[] = await this.m.query(
      `SELECT ${PAYMENT_COLUMNS},
         (SELECT coalesce(json_agg(json_build_object(${REFUND_JSON}) ORDER BY r.requested_at, r.id), '[]')
            FROM payment_refunds r WHERE r.payment_id = payments.id) AS refunds
       FROM payments WHERE ${where}`,
      params,
    );
    return rows.map((row) => toPayment(row, row.refunds.map(fromRefundJson)));
  }

  private async one(sql: string, params: unknown[]): Promise<Payment | null> {
    const rows: RawPaymentRow[] = await this.m.query(sql.replace('%COLUMNS%', PAYMENT_COLUMNS), params);
    return (await this.withRefunds(rows))[0] ?? null;
  }

  private async withRefunds(rows: RawPaymentRow[]): Promise<Payment[]> {
    if (rows.length === 0) return [];
    const refunds: RawRefundRow[] = await this.m.query(
      `SELECT ${REFUND_COLUMNS} FROM payment_refunds WHERE payment_id = ANY($1::uuid[]) ORDER BY requested_at, id`,
      [rows.map((r) => r.id)],
    );
    return rows.map((row) =>
      toPayment(
        row,
        refunds.filter((r) => r.payment_id === row.id),
      ),
    );
  }

  private async writeChanges(payment: Payment): Promise<void> {
    const { ledger, refunds } = payment.takeChanges();
    for (const refund of refunds) {
      await this.m.query(
        `INSERT INTO payment_refunds (${REFUND_COLUMNS}) VALUES (${placeholders(9)})
         ON CONFLICT (id) DO UPDATE SET status = EXCLUDED.status, provider_ref = EXCLUDED.provider_ref,
           settled_at = EXCLUDED.settled_at`,
        refundParams(payment.id, refund),
      );
    }
    for (const entry of ledger) {
      // an entry keyed by an attempt id that was recorded already is kept as it is
      await this.m.query(
        `INSERT INTO payment_operations (id, payment_id, kind, idempotency_key, amount, outcome, provider_ref,
           reason, source, at) VALUES (${placeholders(10)}) ON CONFLICT (id) DO NOTHING`,
        ledgerParams(entry),
      );
    }
  }
}

/** Provider webhook events received (dedupe), written in the transaction of their effect. */
export class TypeOrmWebhookEventLog implements WebhookEventLog {
  constructor(private readonly m: EntityManager) {}

  async claim(provider: string, eventId: string, type: string, at: Date): Promise<boolean> {
    const rows: unknown[] = await this.m.query(
      `INSERT INTO payment_webhook_events (provider, event_id, type, outcome, payment_id, received_at)
       VALUES ($1, $2, $3, 'received', NULL, $4) ON CONFLICT (provider, event_id) DO NOTHING RETURNING event_id`,
      [provider, eventId, type, at],
    );
    return rows.length === 1;
  }

  async settle(provider: string, eventId: string, outcome: string, paymentId: string | null): Promise<void> {
    await this.m.query(
      'UPDATE payment_webhook_events SET outcome = $3, payment_id = $4 WHERE provider = $1 AND event_id = $2',
      [provider, eventId, outcome, paymentId],
    );
  }
}

export const paymentRepos = (m: EntityManager): PaymentRepos => ({
  payments: new TypeOrmPaymentRepository(m),
  webhooks: new TypeOrmWebhookEventLog(m),
});
