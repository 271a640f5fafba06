import type { EntityManager } from 'typeorm';
import {
  historyInsert,
  historyJson,
  type StatusHistoryJson,
  unsavedHistoryColumns,
} from '../../../platform/db/status-history.js';
import { returnedRows } from '../../../platform/db/typeorm-unit-of-work.js';
import type {
  ReturnFilter,
  ReturnPage,
  ReturnPosition,
  ReturnRepository,
  ReturnsRepos,
} from '../../application/return.repository.js';
import type { ReturnSummary } from '../../contract.js';
import {
  type ReceiptLine,
  Return,
  type ReturnActor,
  type ReturnLine,
} from '../../domain/return.aggregate.js';
import type { ReturnStatus } from '../../domain/return.lifecycle.js';
import { RETURN_HISTORY } from './returns.entity-schemas.js';

interface RawReturnRow {
  id: string;
  order_id: string;
  order_number: string;
  seq: number;
  number: string;
  customer_id: string | null;
  currency: string;
  status: ReturnStatus;
  lines: ReturnLine[];
  exchange: { sku: string; quantity: number }[];
  note: string | null;
  /** bigint: pg hands it over as a string */
  refund_due: string | null;
  refund_amount: string | null;
  refund_id: string | null;
  refund_attempts: number;
  refund_open: boolean;
  replacement_order_id: string | null;
  warehouse_id: string | null;
  receipt: ReceiptLine[];
  created_at: Date;
  updated_at: Date;
  version: number;
  /** json_agg of the history rows, oldest first */
  history: StatusHistoryJson<ReturnStatus, ReturnActor['kind']>[];
}

const COLUMNS = `r.id, r.order_id, r.order_number, r.seq, r.number, r.customer_id, r.currency, r.status, r.lines,
  r.exchange, r.note, r.refund_due, r.refund_amount, r.refund_id, r.refund_attempts, r.refund_open,
  r.replacement_order_id, r.warehouse_id, r.receipt, r.created_at, r.updated_at, r.version,
  ${historyJson(RETURN_HISTORY, 'r.id')} AS history`;

const actorOf = (kind: ReturnActor['kind'], id: string | null): ReturnActor =>
  (kind === 'customer' || kind === 'staff') && id ? { kind, id } : { kind };

const toReturn = (r: RawReturnRow): Return =>
  Return.restore({
    id: r.id,
    orderId: r.order_id,
    orderNumber: r.order_number,
    seq: r.seq,
    number: r.number,
    customerId: r.customer_id,
    currency: r.currency,
    status: r.status,
    lines: r.lines.map((l) => ({
      sku: l.sku,
      quantity: l.quantity,
      reason: l.reason,
      received: l.received,
      condition: l.condition,
    })),
    exchange: r.exchange.map((e) => ({ sku: e.sku, quantity: e.quantity })),
    note: r.note,
    refundDue: r.refund_due === null ? null : Number(r.refund_due),
    refund: r.refund_amount === null ? null : { amount: Number(r.refund_amount), currency: r.currency },
    refundId: r.refund_id,
    refundAttempts: r.refund_attempts,
    refundOpen: r.refund_open,
    replacementOrderId: r.replacement_order_id,
    warehouseId: r.warehouse_id,
    receipt: r.receipt.map((l) => ({ sku: l.sku, quantity: l.quantity, condition: l.condition })),
    history: r.history.map((h) => ({
      from: h.from,
      status: h.status,
      at: new Date(h.at),
      reason: h.reason,
      actor: actorOf(h.actorKind, h.actorId),
    })),
    createdAt: r.created_at,
    updatedAt: r.updated_at,
    version: r.version,
  });

/** Returns and their history in Postgres (parameterised SQL only; one statement per write). */
export class TypeOrmReturnRepository implements ReturnRepository {
  constructor(private readonly m: EntityManager) {}

  async insert(ret: Return): Promise<boolean> {
    const s = ret.snapshot();
    await this.m.query(
      `WITH r AS (
         INSERT INTO returns_returns (id, order_id, order_number, seq, number, customer_id, currency, status, lines,
           exchange, note, refund_due, refund_amount, refund_id, refund_attempts, refund_open, replacement_order_id,
           warehouse_id, receipt, created_at, updated_at, version)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9::jsonb, $10::jsonb, $11, $12, $13, $14, $15, $16, $17, $18,
           $19::jsonb, $20, $21, 0)
         RETURNING id
       ), h AS (
         ${historyInsert(RETURN_HISTORY, 'r', 22)}
         RETURNING 1
       )
       SELECT count(*)::int AS inserted FROM r`,
      [
        s.id,
        s.orderId,
        s.orderNumber,
        s.seq,
        s.number,
        s.customerId,
        s.currency,
        s.status,
        JSON.stringify(s.lines),
        JSON.stringify(s.exchange),
        s.note,
        s.refundDue,
        s.refund?.amount ?? null,
        s.refundId,
        s.refundAttempts,
        s.refundOpen,
        s.replacementOrderId,
        s.warehouseId,
        JSON.stringify(s.receipt),
        s.createdAt,
        s.updatedAt,
        ...unsavedHistoryColumns(ret),
      ],
    );
    ret.markSaved(0);
    return true;
  }

  find(id: string): Promise<Return | null> {
    return this.one(`SELECT ${COLUMNS} FROM returns_returns r WHERE r.id = $1`, [id]);
  }

  async findForUpdate(id: string): Promise<Return | null> {
    // lock first, then read with the history: that snapshot sees what the previous lock holder committed
    const locked: unknown[] = await this.m.query('SELECT id FROM returns_returns WHERE id = $1 FOR UPDATE', [
      id,
    ]);
    if (locked.length === 0) return null;
    return this.find(id);
  }

  async findByRefundForUpdate(refundId: string): Promise<Return | null> {
    const locked: { id: string }[] = await this.m.query(
      'SELECT id FROM returns_returns WHERE refund_id = $1 FOR UPDATE',
      [refundId],
    );
    if (locked.length === 0) return null;
    return this.find(locked[0]!.id);
  }

  async ofRefund(refundId: string): Promise<Return | null> {
    const rows: RawReturnRow[] = await this.m.query(
      `SELECT ${COLUMNS} FROM returns_returns r WHERE r.refund_id = $1`,
      [refundId],
    );
    return rows[0] ? toReturn(rows[0]) : null;
  }

  async ofOrder(orderId: string): Promise<Return[]> {
    const rows: RawReturnRow[] = await this.m.query(
      `SELECT ${COLUMNS} FROM returns_returns r WHERE r.order_id = $1 ORDER BY r.seq`,
      [orderId],
    );
    return rows.map(toReturn);
  }

  async save(ret: Return): Promise<void> {
    const s = ret.snapshot();
    const [row] = (await this.m.query(
      `WITH u AS (
         UPDATE returns_returns SET status = $2, lines = $3::jsonb, note = $4, refund_due = $5, refund_amount = $6,
           refund_id = $7, refund_attempts = $8, refund_open = $9, replacement_order_id = $10, warehouse_id = $11,
           receipt = $12::jsonb, updated_at = $13, version = version + 1
         WHERE id = $1 AND version = $14
         RETURNING id
       ), h AS (
         ${historyInsert(RETURN_HISTORY, 'u', 15)}
         RETURNING 1
       )
       SELECT count(*)::int AS updated FROM u`,
      [
        s.id,
        s.status,
        JSON.stringify(s.lines),
        s.note,
        s.refundDue,
        s.refund?.amount ?? null,
        s.refundId,
        s.refundAttempts,
        s.refundOpen,
        s.replacementOrderId,
        s.warehouseId,
        JSON.stringify(s.receipt),
        s.updatedAt,
        s.version,
        ...unsavedHistoryColumns(ret),
      ],
    )) as { updated: number }[];
    if (row!.updated === 0)
      throw new Error(`return ${s.id} changed since it was read (version ${s.version})`);
    ret.markSaved(s.version + 1);
  }

  async page(filter: ReturnFilter, limit: number, after: ReturnPosition | null): Promise<ReturnPage> {
    const where: string[] = [];
    const params: unknown[] = [];
    const param = (value: unknown) => {
      params.push(value);
      return `$${params.length}`;
    };
    if (filter.status) where.push(`r.status = ${param(filter.status)}`);
    if (filter.orderId) where.push(`r.order_id = ${param(filter.orderId)}`);
    if (after) where.push(`(r.created_at, r.id) > (${param(after.createdAt)}, ${param(after.id)}::uuid)`);
    const rows: RawReturnRow[] = await this.m.query(
      `SELECT ${COLUMNS} FROM returns_returns r
       ${where.length > 0 ? `WHERE ${where.join(' AND ')}` : ''}
       ORDER BY r.created_at, r.id LIMIT ${param(limit + 1)}`,
      params,
    );
    const returns = rows.slice(0, limit).map(toReturn);
    const last = returns[returns.length - 1];
    const next = rows.length > limit && last ? { createdAt: last.snapshot().createdAt, id: last.id } : null;
    return { returns, next };
  }

  async summariesOf(orderIds: readonly string[]): Promise<Map<string, ReturnSummary[]>> {
    const rows: {
      id: string;
      order_id: string;
      number: string;
      status: ReturnStatus;
      refund_amount: string | null;
      currency: string;
    }[] = await this.m.query(
      `SELECT id, order_id, number, status, refund_amount, currency FROM returns_returns
       WHERE order_id = ANY($1::uuid[]) ORDER BY order_id, seq`,
      [[...orderIds]],
    );
    const result = new Map<string, ReturnSummary[]>();
    for (const r of rows) {
      const list = result.get(r.order_id) ?? [];
      list.push({
        id: r.id,
        number: r.number,
        status: r.status,
        refund: r.refund_amount === null ? null : { amount: Number(r.refund_amount), currency: r.currency },
      });
      result.set(r.order_id, list);
    }
    return result;
  }

  ofReplacement(orderId: string): Promise<Return | null> {
    return this.one(`SELECT ${COLUMNS} FROM returns_returns r WHERE r.replacement_order_id = $1`, [orderId]);
  }

  async refundsOpen(before: Date, limit: number): Promise<Return[]> {
    const rows: RawReturnRow[] = await this.m.query(
      `SELECT ${COLUMNS} FROM returns_returns r WHERE r.refund_open AND r.updated_at < $1
       ORDER BY r.updated_at LIMIT $2`,
      [before, limit],
    );
    return rows.map(toReturn);
  }

  async ofCustomer(customerId: string): Promise<Return[]> {
    const rows: RawReturnRow[] = await this.m.query(
      `SELECT ${COLUMNS} FROM returns_returns r WHERE r.customer_id = $1 ORDER BY r.created_at DESC, r.id DESC`,
      [customerId],
    );
    return rows.map(toReturn);
  }

  async eraseCustomer(customerId: string, now: Date): Promise<number> {
    const result: unknown = await this.m.query(
      `UPDATE returns_returns SET note = NULL, updated_at = $2, version = version + 1
       WHERE customer_id = $1 AND note IS NOT NULL RETURNING id`,
      [customerId, now],
    );
    return returnedRows<{ id: string }>(result).length;
  }

  private async one(sql: string, params: unknown[]): Promise<Return | null> {
    const rows: RawReturnRow[] = await this.m.query(sql, params);
    return rows[0] ? toReturn(rows[0]) : null;
  }
}

export const returnsRepos = (m: EntityManager): ReturnsRepos => ({
  returns: new TypeOrmReturnRepository(m),
});
