import type { EntityManager } from 'typeorm';
import {
  historyInsert,
  historyJson,
  type StatusHistoryJson,
  unsavedHistoryColumns,
} from '../../../platform/db/status-history.js';
import type {
  FulfilmentRepos,
  ShipmentFilter,
  ShipmentPage,
  ShipmentPosition,
  ShipmentRepository,
} from '../../application/shipment.repository.js';
import type { ShipmentSummary } from '../../contract.js';
import { Shipment, type ShipmentActor } from '../../domain/shipment.aggregate.js';
import type { ShipmentStatus } from '../../domain/shipment.lifecycle.js';
import { SHIPMENT_HISTORY } from './fulfilment.entity-schemas.js';

interface RawShipmentRow {
  id: string;
  order_id: string;
  order_number: string;
  warehouse_id: string;
  status: ShipmentStatus;
  lines: { sku: string; quantity: number }[];
  carrier: string | null;
  tracking_number: string | null;
  created_at: Date;
  updated_at: Date;
  version: number;
  /** json_agg of the history rows, oldest first */
  history: StatusHistoryJson<ShipmentStatus, ShipmentActor['kind']>[];
}

const COLUMNS = `s.id, s.order_id, s.order_number, s.warehouse_id, s.status, s.lines, s.carrier, s.tracking_number,
  s.created_at, s.updated_at, s.version,
  ${historyJson(SHIPMENT_HISTORY, 's.id')} AS history`;

const toShipment = (r: RawShipmentRow): Shipment =>
  Shipment.restore({
    id: r.id,
    orderId: r.order_id,
    orderNumber: r.order_number,
    warehouseId: r.warehouse_id,
    status: r.status,
    lines: r.lines.map((l) => ({ sku: l.sku, quantity: l.quantity })),
    carrier: r.carrier,
    trackingNumber: r.tracking_number,
    history: r.history.map((h) => ({
      from: h.from,
      status: h.status,
      at: new Date(h.at),
      reason: h.reason,
      actor: h.actorKind === 'staff' && h.actorId ? { kind: 'staff', id: h.actorId } : { kind: 'system' },
    })),
    createdAt: r.created_at,
    updatedAt: r.updated_at,
    version: r.version,
  });

/** Shipments and their history in Postgres (parameterised SQL only; one statement per write). */
export class TypeOrmShipmentRepository implements ShipmentRepository {
  constructor(private readonly m: EntityManager) {}

  async insert(shipment: Shipment): Promise<boolean> {
    const s = shipment.snapshot();
    const [row] = (await this.m.query(
      `WITH s AS (
         INSERT INTO fulfilment_shipments (id, order_id, order_number, warehouse_id, status, lines, carrier,
           tracking_number, created_at, updated_at, version)
         VALUES ($1, $2, $3, $4, $5, $6::jsonb, $7, $8, $9, $10, 0)
         ON CONFLICT (order_id, warehouse_id) DO NOTHING
         RETURNING id
       ), h AS (
         ${historyInsert(SHIPMENT_HISTORY, 's', 11)}
         RETURNING 1
       )
       SELECT count(*)::int AS inserted FROM s`,
      [
        s.id,
        s.orderId,
        s.orderNumber,
        s.warehouseId,
        s.status,
        JSON.stringify(s.lines),
        s.carrier,
        s.trackingNumber,
        s.createdAt,
        s.updatedAt,
        ...unsavedHistoryColumns(shipment),
      ],
    )) as { inserted: number }[];
    if (row!.inserted === 0) return false;
    shipment.markSaved(0);
    return true;
  }

  find(id: string): Promise<Shipment | null> {
    return this.one(`SELECT ${COLUMNS} FROM fulfilment_shipments s WHERE s.id = $1`, [id]);
  }

  async findForUpdate(id: string): Promise<Shipment | null> {
    // lock first, then read with the history: that snapshot sees what the previous lock holder committed
    const locked: unknown[] = await this.m.query(
      'SELECT id FROM fulfilment_shipments WHERE id = $1 FOR UPDATE',
      [id],
    );
    if (locked.length === 0) return null;
    return this.find(id);
  }

  async ofOrder(orderId: string, lock: boolean): Promise<Shipment[]> {
    if (lock) {
      await this.m.query('SELECT id FROM fulfilment_shipments WHERE order_id = $1 ORDER BY id FOR UPDATE', [
        orderId,
      ]);
    }
    const rows: RawShipmentRow[] = await this.m.query(
      `SELECT ${COLUMNS} FROM fulfilment_shipments s WHERE s.order_id = $1 ORDER BY s.created_at, s.id`,
      [orderId],
    );
    return rows.map(toShipment);
  }

  async save(shipment: Shipment): Promise<void> {
    const s = shipment.snapshot();
    const [row] = (await this.m.query(
      `WITH u AS (
         UPDATE fulfilment_shipments SET status = $2, carrier = $3, tracking_number = $4, updated_at = $5,
           version = version + 1
         WHERE id = $1 AND version = $6
         RETURNING id
       ), h AS (
         ${historyInsert(SHIPMENT_HISTORY, 'u', 7)}
         RETURNING 1
       )
       SELECT count(*)::int AS updated FROM u`,
      [
        s.id,
        s.status,
        s.carrier,
        s.trackingNumber,
        s.updatedAt,
        s.version,
        ...unsavedHistoryColumns(shipment),
      ],
    )) as { updated: number }[];
    if (row!.updated === 0)
      throw new Error(`shipment ${s.id} changed since it was read (version ${s.version})`);
    shipment.markSaved(s.version + 1);
  }

  async page(filter: ShipmentFilter, limit: number, after: ShipmentPosition | null): Promise<ShipmentPage> {
    const where: string[] = [];
    const params: unknown[] = [];
    const param = (value: unknown) => {
      params.push(value);
      return `$${params.length}`;
    };
    if (filter.status) where.push(`s.status = ${param(filter.status)}`);
    if (filter.orderId) where.push(`s.order_id = ${param(filter.orderId)}`);
    if (after) where.push(`(s.created_at, s.id) > (${param(after.createdAt)}, ${param(after.id)}::uuid)`);
    const rows: RawShipmentRow[] = await this.m.query(
      `SELECT ${COLUMNS} FROM fulfilment_shipments s
       ${where.length > 0 ? `WHERE ${where.join(' AND ')}` : ''}
       ORDER BY s.created_at, s.id LIMIT ${param(limit + 1)}`,
      params,
    );
    const shipments = rows.slice(0, limit).map(toShipment);
    const last = shipments[shipments.length - 1];
    const next = rows.length > limit && last ? { createdAt: last.snapshot().createdAt, id: last.id } : null;
    return { shipments, next };
  }

  async summariesOf(orderIds: readonly string[]): Promise<Map<string, ShipmentSummary[]>> {
    const rows: {
      id: string;
      order_id: string;
      status: ShipmentStatus;
      warehouse_id: string;
      tracking_number: string | null;
      lines: { sku: string; quantity: number }[];
      updated_at: Date;
    }[] = await this.m.query(
      `SELECT id, order_id, status, warehouse_id, tracking_number, lines, updated_at FROM fulfilment_shipments
       WHERE order_id = ANY($1::uuid[]) ORDER BY created_at, id`,
      [[...orderIds]],
    );
    const result = new Map<string, ShipmentSummary[]>();
    for (const r of rows) {
      const list = result.get(r.order_id) ?? [];
      list.push({
        id: r.id,
        status: r.status,
        warehouseId: r.warehouse_id,
        trackingNumber: r.tracking_number,
        lines: r.lines.map((l) => ({ sku: l.sku, quantity: l.quantity })),
        // delivered is final: its last change is the delivery
        deliveredAt: r.status === 'delivered' ? new Date(r.updated_at) : null,
      });
      result.set(r.order_id, list);
    }
    return result;
  }

  private async one(sql: string, params: unknown[]): Promise<Shipment | null> {
    const rows: RawShipmentRow[] = await this.m.query(sql, params);
    return rows[0] ? toShipment(rows[0]) : null;
  }
}

export const fulfilmentRepos = (m: EntityManager): FulfilmentRepos => ({
  shipments: new TypeOrmShipmentRepository(m),
});
