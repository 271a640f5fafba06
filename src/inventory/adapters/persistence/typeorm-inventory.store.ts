import type { EntityManager } from 'typeorm';
import { returnedRows } from '../../../platform/db/typeorm-unit-of-work.js';
import { newId } from '../../../platform/ids.js';
import type {
  AllocatedQuantity,
  InventoryRepos,
  InventoryStore,
  ReservationHeader,
} from '../../application/inventory.repositories.js';
import type { Movement, StockLevel, Warehouse } from '../../domain/inventory.rules.js';
import type { ReservationStatus } from '../../domain/reservation.lifecycle.js';

interface RawLevel {
  sku: string;
  warehouse_id: string;
  on_hand: number;
  reserved: number;
}

const toLevel = (r: RawLevel): StockLevel => ({
  sku: r.sku,
  warehouseId: r.warehouse_id,
  onHand: r.on_hand,
  reserved: r.reserved,
});

interface RawMovement {
  seq: string;
  id: string;
  sku: string;
  warehouse_id: string;
  kind: Movement['kind'];
  delta: number;
  reserved_delta: number;
  reason: string;
  actor: string;
  order_id: string | null;
  return_id: string | null;
  on_hand_after: number;
  reserved_after: number;
  created_at: Date;
}

const MOVEMENT_COLUMNS =
  'seq::text AS seq, id, sku, warehouse_id, kind, delta, reserved_delta, reason, actor, order_id, return_id, on_hand_after, reserved_after, created_at';

const toMovement = (r: RawMovement): Movement & { seq: string } => ({
  seq: r.seq,
  id: r.id,
  sku: r.sku,
  warehouseId: r.warehouse_id,
  kind: r.kind,
  delta: r.delta,
  reservedDelta: r.reserved_delta,
  reason: r.reason,
  actor: r.actor,
  orderId: r.order_id,
  returnId: r.return_id,
  onHandAfter: r.on_hand_after,
  reservedAfter: r.reserved_after,
  createdAt: r.created_at,
});

/** Lines as parallel arrays for `unnest`, one round trip whatever their number. */
const columns = (lines: readonly AllocatedQuantity[]) => [
  lines.map((l) => l.sku),
  lines.map((l) => l.warehouseId),
  lines.map((l) => l.quantity),
];

/** Inventory persistence on the EntityManager of one transaction (or the pool, for reads). */
export class TypeOrmInventoryStore implements InventoryStore {
  constructor(private readonly m: EntityManager) {}

  async ensureWarehouses(region: string, presets: readonly { code: string; name: string }[]) {
    if (presets.length > 0) {
      await this.m.query(
        `INSERT INTO inventory_warehouses (id, region, code, name)
         SELECT * FROM unnest($1::uuid[], $2::text[], $3::text[], $4::text[])
         ON CONFLICT (region, code) DO UPDATE SET name = EXCLUDED.name
           WHERE inventory_warehouses.name <> EXCLUDED.name`,
        [
          presets.map(() => newId()),
          presets.map(() => region),
          presets.map((p) => p.code),
          presets.map((p) => p.name),
        ],
      );
    }
    return this.findWarehouses(
      region,
      presets.map((p) => p.code),
    );
  }

  findWarehouses(region: string, codes: readonly string[]): Promise<Warehouse[]> {
    return this.m.query(
      'SELECT id, code, name FROM inventory_warehouses WHERE region = $1 AND code = ANY($2::text[]) ORDER BY code',
      [region, codes],
    );
  }

  async levels(skus: readonly string[], warehouseIds: readonly string[]) {
    if (skus.length === 0 || warehouseIds.length === 0) return [];
    const rows: RawLevel[] = await this.m.query(
      `SELECT sku, warehouse_id, on_hand, reserved FROM inventory_stock
       WHERE sku = ANY($1::text[]) AND warehouse_id = ANY($2::uuid[]) ORDER BY sku, warehouse_id`,
      [[...skus], [...warehouseIds]],
    );
    return rows.map(toLevel);
  }

  async available(skus: readonly string[], warehouseIds: readonly string[]) {
    if (skus.length === 0 || warehouseIds.length === 0) return new Map<string, number>();
    const rows: { sku: string; available: number }[] = await this.m.query(
      `SELECT sku, sum(on_hand - reserved)::int AS available FROM inventory_stock
       WHERE sku = ANY($1::text[]) AND warehouse_id = ANY($2::uuid[]) GROUP BY sku`,
      [[...skus], [...warehouseIds]],
    );
    return new Map(rows.map((r) => [r.sku, r.available]));
  }

  async lockLevels(skus: readonly string[], warehouseIds: readonly string[]) {
    if (skus.length === 0 || warehouseIds.length === 0) return [];
    // The ORDER BY is what makes the lock order stable: Postgres locks rows as the sorted scan emits them.
    const rows: RawLevel[] = await this.m.query(
      `SELECT sku, warehouse_id, on_hand, reserved FROM inventory_stock
       WHERE sku = ANY($1::text[]) AND warehouse_id = ANY($2::uuid[])
       ORDER BY sku, warehouse_id FOR UPDATE`,
      [[...skus], [...warehouseIds]],
    );
    return rows.map(toLevel);
  }

  async addReserved(lines: readonly AllocatedQuantity[], now: Date) {
    if (lines.length === 0) return [];
    const result = await this.m.query(
      `UPDATE inventory_stock s SET reserved = s.reserved + v.q, updated_at = $4
       FROM unnest($1::text[], $2::uuid[], $3::int[]) AS v(sku, warehouse_id, q)
       WHERE s.sku = v.sku AND s.warehouse_id = v.warehouse_id AND s.on_hand - s.reserved >= v.q
       RETURNING s.sku, s.warehouse_id, s.on_hand, s.reserved`,
      [...columns(lines), now],
    );
    return returnedRows<RawLevel>(result).map(toLevel);
  }

  async subtractReserved(lines: readonly AllocatedQuantity[], now: Date) {
    if (lines.length === 0) return [];
    const result = await this.m.query(
      `UPDATE inventory_stock s SET reserved = s.reserved - v.q, updated_at = $4
       FROM unnest($1::text[], $2::uuid[], $3::int[]) AS v(sku, warehouse_id, q)
       WHERE s.sku = v.sku AND s.warehouse_id = v.warehouse_id
       RETURNING s.sku, s.warehouse_id, s.on_hand, s.reserved`,
      [...columns(lines), now],
    );
    return returnedRows<RawLevel>(result).map(toLevel);
  }

  async adjust(sku: string, warehouseId: string, delta: number, now: Date) {
    const result =
      delta > 0
        ? await this.m.query(
            `INSERT INTO inventory_stock (sku, warehouse_id, on_hand, reserved, updated_at)
             VALUES ($1, $2, $3, 0, $4)
             ON CONFLICT (sku, warehouse_id)
               DO UPDATE SET on_hand = inventory_stock.on_hand + EXCLUDED.on_hand, updated_at = EXCLUDED.updated_at
             RETURNING sku, warehouse_id, on_hand, reserved`,
            [sku, warehouseId, delta, now],
          )
        : await this.m.query(
            `UPDATE inventory_stock SET on_hand = on_hand + $3, updated_at = $4
             WHERE sku = $1 AND warehouse_id = $2 AND on_hand + $3 >= reserved AND on_hand + $3 >= 0
             RETURNING sku, warehouse_id, on_hand, reserved`,
            [sku, warehouseId, delta, now],
          );
    const [row] = returnedRows<RawLevel>(result);
    return row ? toLevel(row) : null;
  }

  async appendMovements(movements: readonly Movement[]) {
    if (movements.length === 0) return;
    const col = <K extends keyof Movement>(k: K) => movements.map((mv) => mv[k]);
    await this.m.query(
      `INSERT INTO inventory_movements
         (id, sku, warehouse_id, kind, delta, reserved_delta, reason, actor, order_id, on_hand_after, reserved_after,
          created_at, return_id)
       SELECT * FROM unnest($1::uuid[], $2::text[], $3::uuid[], $4::text[], $5::int[], $6::int[], $7::text[],
                            $8::text[], $9::uuid[], $10::int[], $11::int[], $12::timestamptz[], $13::uuid[])`,
      [
        col('id'),
        col('sku'),
        col('warehouseId'),
        col('kind'),
        col('delta'),
        col('reservedDelta'),
        col('reason'),
        col('actor'),
        col('orderId'),
        col('onHandAfter'),
        col('reservedAfter'),
        col('createdAt'),
        col('returnId'),
      ],
    );
  }

  async recordReturnReceipt(returnId: string, warehouseId: string, now: Date) {
    const rows: unknown[] = await this.m.query(
      `INSERT INTO inventory_return_receipts (return_id, warehouse_id, received_at) VALUES ($1, $2, $3)
       ON CONFLICT (return_id) DO NOTHING RETURNING return_id`,
      [returnId, warehouseId, now],
    );
    return rows.length > 0;
  }

  async returnMovements(returnId: string) {
    const rows: RawMovement[] = await this.m.query(
      `SELECT ${MOVEMENT_COLUMNS} FROM inventory_movements WHERE return_id = $1 ORDER BY inventory_movements.seq`,
      [returnId],
    );
    return rows.map(toMovement);
  }

  async movements(sku: string, limit: number, beforeSeq: string | null) {
    const rows: RawMovement[] = beforeSeq
      ? await this.m.query(
          `SELECT ${MOVEMENT_COLUMNS} FROM inventory_movements WHERE sku = $1 AND seq < $2::bigint
           ORDER BY inventory_movements.seq DESC LIMIT $3`,
          [sku, beforeSeq, limit],
        )
      : await this.m.query(
          `SELECT ${MOVEMENT_COLUMNS} FROM inventory_movements WHERE sku = $1 ORDER BY inventory_movements.seq DESC LIMIT $2`,
          [sku, limit],
        );
    return rows.map(toMovement);
  }

  private async header(orderId: string, lock: boolean): Promise<ReservationHeader | null> {
    const rows: { order_id: string; status: ReservationStatus; expires_at: Date }[] = await this.m.query(
      `SELECT order_id, status, expires_at FROM inventory_reservations WHERE order_id = $1${lock ? ' FOR UPDATE' : ''}`,
      [orderId],
    );
    const r = rows[0];
    return r ? { orderId: r.order_id, status: r.status, expiresAt: r.expires_at } : null;
  }

  findReservation(orderId: string) {
    return this.header(orderId, false);
  }

  lockReservation(orderId: string) {
    return this.header(orderId, true);
  }

  async reservationLines(orderId: string, which: 'all' | 'unshipped' = 'all') {
    const rows: { sku: string; warehouse_id: string; quantity: number }[] = await this.m.query(
      `SELECT sku, warehouse_id, quantity FROM inventory_reservation_lines
       WHERE order_id = $1${which === 'unshipped' ? ' AND shipped_at IS NULL' : ''} ORDER BY sku, warehouse_id`,
      [orderId],
    );
    return rows.map((r) => ({ sku: r.sku, warehouseId: r.warehouse_id, quantity: r.quantity }));
  }

  async consumeReserved(lines: readonly AllocatedQuantity[], now: Date) {
    if (lines.length === 0) return [];
    const result = await this.m.query(
      `UPDATE inventory_stock s SET on_hand = s.on_hand - v.q, reserved = s.reserved - v.q, updated_at = $4
       FROM unnest($1::text[], $2::uuid[], $3::int[]) AS v(sku, warehouse_id, q)
       WHERE s.sku = v.sku AND s.warehouse_id = v.warehouse_id AND s.reserved >= v.q
       RETURNING s.sku, s.warehouse_id, s.on_hand, s.reserved`,
      [...columns(lines), now],
    );
    return returnedRows<RawLevel>(result).map(toLevel);
  }

  async markLinesShipped(orderId: string, warehouseId: string, now: Date) {
    await this.m.query(
      `UPDATE inventory_reservation_lines SET shipped_at = $3
       WHERE order_id = $1 AND warehouse_id = $2 AND shipped_at IS NULL`,
      [orderId, warehouseId, now],
    );
  }

  async insertReservation(orderId: string, status: ReservationStatus, expiresAt: Date, now: Date) {
    const rows: unknown[] = await this.m.query(
      `INSERT INTO inventory_reservations (order_id, status, expires_at, created_at)
       VALUES ($1, $4, $2, $3) ON CONFLICT (order_id) DO NOTHING RETURNING order_id`,
      [orderId, expiresAt, now, status],
    );
    return rows.length > 0;
  }

  async renewReservation(orderId: string, status: ReservationStatus, expiresAt: Date) {
    await this.m.query('DELETE FROM inventory_reservation_lines WHERE order_id = $1', [orderId]);
    await this.m.query(
      `UPDATE inventory_reservations SET status = $3, expires_at = $2, released_at = NULL, release_reason = NULL
       WHERE order_id = $1`,
      [orderId, expiresAt, status],
    );
  }

  async insertReservationLines(orderId: string, lines: readonly AllocatedQuantity[]) {
    if (lines.length === 0) return;
    await this.m.query(
      `INSERT INTO inventory_reservation_lines (order_id, sku, warehouse_id, quantity)
       SELECT $4::uuid, * FROM unnest($1::text[], $2::uuid[], $3::int[])`,
      [...columns(lines), orderId],
    );
  }

  async lockExpired(now: Date, limit: number) {
    const rows: { order_id: string; status: ReservationStatus; expires_at: Date }[] = await this.m.query(
      `SELECT order_id, status, expires_at FROM inventory_reservations
       WHERE status = 'reserved' AND expires_at <= $1
       ORDER BY expires_at LIMIT $2 FOR UPDATE SKIP LOCKED`,
      [now, limit],
    );
    return rows.map((r) => ({ orderId: r.order_id, status: r.status, expiresAt: r.expires_at }));
  }

  async setReservationStatus(
    orderIds: readonly string[],
    status: ReservationStatus,
    release?: { reason: string; at: Date },
  ) {
    if (orderIds.length === 0) return;
    await (release
      ? this.m.query(
          `UPDATE inventory_reservations SET status = $2, released_at = $3, release_reason = $4
           WHERE order_id = ANY($1::uuid[])`,
          [[...orderIds], status, release.at, release.reason],
        )
      : this.m.query('UPDATE inventory_reservations SET status = $2 WHERE order_id = ANY($1::uuid[])', [
          [...orderIds],
          status,
        ]));
  }
}

export const inventoryRepos = (m: EntityManager): InventoryRepos => ({ store: new TypeOrmInventoryStore(m) });
