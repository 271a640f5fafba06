import type { EntityManager } from 'typeorm';
import { historyInsert, unsavedHistoryColumns } from '../../../platform/db/status-history.js';
import { returnedRows } from '../../../platform/db/typeorm-unit-of-work.js';
import type {
  OrderFilter,
  OrderPage,
  OrderPosition,
  OrderRepos,
  OrderRepository,
} from '../../application/order.repository.js';
import type { Order } from '../../domain/order.aggregate.js';
import type { OrderStatus } from '../../domain/order.lifecycle.js';
import {
  addressJson,
  childrenColumns,
  ORDER_COLUMNS,
  type RawChildren,
  type RawOrderRow,
  toOrder,
} from './order.mapper.js';
import { ORDER_HISTORY } from './orders.entity-schemas.js';

type RowWithChildren = RawOrderRow & RawChildren;

/** The notes not saved yet, as the six column arrays of `notesUnnest`, positions after the saved ones. */
const noteArrays = (order: Order): unknown[][] => {
  const unsaved = order.unsavedNotes();
  const first = order.snapshot().notes.length - unsaved.length;
  return [
    unsaved.map((_, i) => first + i),
    unsaved.map((n) => n.at),
    unsaved.map((n) => n.text),
    unsaved.map((n) => n.actor.kind),
    unsaved.map((n) => n.actor.id ?? null),
  ];
};
const notesUnnest = (from: number): string =>
  `unnest($${from}::smallint[], $${from + 1}::timestamptz[], $${from + 2}::text[], $${from + 3}::text[],
          $${from + 4}::uuid[])`;

/**
 * Orders in Postgres. The request path stays lean: placing is one sequence value and one statement
 * (order, lines and history through data-modifying CTEs and `unnest`); a move or a note is a locking
 * read of the row, one read of its lines, history and notes, and one statement that updates the row and
 * appends the history and notes. Reads of several orders fetch their children in the same statement
 * (json_agg). A new order has no notes.
 */
export class TypeOrmOrderRepository implements OrderRepository {
  constructor(private readonly m: EntityManager) {}

  async nextNumber(): Promise<number> {
    const [row] = (await this.m.query(`SELECT nextval('orders_number_seq')::text AS n`)) as { n: string }[];
    return Number(row!.n);
  }

  async insert(order: Order): Promise<boolean> {
    const o = order.snapshot();
    const [row] = (await this.m.query(
      `WITH o AS (
         INSERT INTO orders_orders (${ORDER_COLUMNS})
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15::jsonb, $16, $17, $18, $19, $20, $21)
         ON CONFLICT (id) DO NOTHING
         RETURNING id
       ), l AS (
         INSERT INTO orders_lines (order_id, position, sku, name, quantity, unit_price, subtotal, discount, line_total, tax)
         SELECT o.id, x.* FROM o, unnest($22::smallint[], $23::text[], $24::text[], $25::int[], $26::bigint[],
                                        $27::bigint[], $28::bigint[], $29::bigint[], $30::bigint[]) AS x
         RETURNING 1
       ), h AS (
         ${historyInsert(ORDER_HISTORY, 'o', 31)}
         RETURNING 1
       )
       SELECT count(*)::int AS inserted FROM o`,
      [
        o.id,
        o.number,
        o.status,
        o.cartId,
        o.customerId,
        o.email,
        o.currency,
        o.taxMode,
        o.subtotal,
        o.discount,
        o.shipping,
        o.tax,
        o.total,
        o.promotionCode,
        o.shippingAddress ? addressJson(o.shippingAddress) : null,
        o.shippingOption.code,
        o.shippingOption.name,
        o.createdAt,
        o.updatedAt,
        o.statusChangedAt,
        o.version,
        o.lines.map((_, i) => i),
        o.lines.map((l) => l.sku),
        o.lines.map((l) => l.name),
        o.lines.map((l) => l.quantity),
        o.lines.map((l) => l.unitPrice),
        o.lines.map((l) => l.subtotal),
        o.lines.map((l) => l.discount),
        o.lines.map((l) => l.lineTotal),
        o.lines.map((l) => l.tax),
        ...unsavedHistoryColumns(order),
      ],
    )) as { inserted: number }[];
    if (row!.inserted === 0) return false;
    order.markSaved(o.version);
    return true;
  }

  async find(id: string): Promise<Order | null> {
    const rows = (await this.m.query(
      `SELECT ${ORDER_COLUMNS}, ${childrenColumns('o.id')} FROM orders_orders o WHERE o.id = $1`,
      [id],
    )) as RowWithChildren[];
    return rows[0] ? toOrder(rows[0], rows[0]) : null;
  }

  async findForUpdate(id: string): Promise<Order | null> {
    // lock first, then read the children in a statement of their own: its snapshot is taken after the
    // lock was granted, so it sees every entry the previous holder of the lock committed
    const rows = (await this.m.query(`SELECT ${ORDER_COLUMNS} FROM orders_orders WHERE id = $1 FOR UPDATE`, [
      id,
    ])) as RawOrderRow[];
    if (!rows[0]) return null;
    const [children] = (await this.m.query(`SELECT ${childrenColumns('$1::uuid')}`, [id])) as RawChildren[];
    return toOrder(rows[0], children!);
  }

  async save(order: Order): Promise<void> {
    const o = order.snapshot();
    const [row] = (await this.m.query(
      `WITH u AS (
         UPDATE orders_orders SET status = $2, updated_at = $3, status_changed_at = $4, version = version + 1
         WHERE id = $1 AND version = $5
         RETURNING id
       ), h AS (
         ${historyInsert(ORDER_HISTORY, 'u', 6)}
         RETURNING 1
       ), n AS (
         INSERT INTO orders_notes (order_id, position, at, text, actor_kind, actor_id)
         SELECT u.id, z.* FROM u, ${notesUnnest(13)} AS z
         RETURNING 1
       )
       SELECT count(*)::int AS updated FROM u`,
      [
        o.id,
        o.status,
        o.updatedAt,
        o.statusChangedAt,
        o.version,
        ...unsavedHistoryColumns(order),
        ...noteArrays(order),
      ],
    )) as { updated: number }[];
    if (row!.updated === 0) throw new Error(`order ${o.id} changed since it was read (version ${o.version})`);
    order.markSaved(o.version + 1);
  }

  async page(filter: OrderFilter, limit: number, after: OrderPosition | null): Promise<OrderPage> {
    const where: string[] = [];
    const params: unknown[] = [];
    const param = (value: unknown) => {
      params.push(value);
      return `$${params.length}`;
    };
    if (filter.status) where.push(`status = ${param(filter.status)}`);
    if (filter.customerId) where.push(`customer_id = ${param(filter.customerId)}::uuid`);
    if (filter.from) where.push(`created_at >= ${param(filter.from)}`);
    if (filter.to) where.push(`created_at < ${param(filter.to)}`);
    if (after)
      where.push(`(created_at, id) < (${param(after.createdAt)}::timestamptz, ${param(after.id)}::uuid)`);
    const rows = (await this.m.query(
      `SELECT p.*, ${childrenColumns('p.id')}
       FROM (SELECT ${ORDER_COLUMNS} FROM orders_orders
             ${where.length > 0 ? `WHERE ${where.join(' AND ')}` : ''}
             ORDER BY created_at DESC, id DESC
             LIMIT ${param(limit + 1)}) p
       ORDER BY p.created_at DESC, p.id DESC`,
      params,
    )) as RowWithChildren[];
    const more = rows.length > limit;
    const orders = rows.slice(0, limit).map((r) => toOrder(r, r));
    const last = orders.at(-1)?.snapshot();
    return { orders, next: more && last ? { createdAt: last.createdAt, id: last.id } : null };
  }

  async idsInStatus(status: OrderStatus, before: Date, limit: number): Promise<string[]> {
    const rows = (await this.m.query(
      `SELECT id FROM orders_orders WHERE status = $1 AND status_changed_at < $2
       ORDER BY status_changed_at, id LIMIT $3`,
      [status, before, limit],
    )) as { id: string }[];
    return rows.map((r) => r.id);
  }

  async idsOfCart(cartId: string): Promise<string[]> {
    const rows = (await this.m.query(
      'SELECT id FROM orders_orders WHERE cart_id = $1 ORDER BY created_at, id',
      [cartId],
    )) as { id: string }[];
    return rows.map((r) => r.id);
  }

  async listOfCustomer(customerId: string): Promise<Order[]> {
    const rows = (await this.m.query(
      `SELECT ${ORDER_COLUMNS}, ${childrenColumns('o.id')} FROM orders_orders o
       WHERE o.customer_id = $1 ORDER BY o.created_at DESC, o.id DESC`,
      [customerId],
    )) as RowWithChildren[];
    return rows.map((r) => toOrder(r, r));
  }

  async eraseCustomer(customerId: string, now: Date): Promise<number> {
    const result: unknown = await this.m.query(
      `UPDATE orders_orders SET email = NULL, shipping_address = NULL, erased_at = $2, updated_at = $2,
         version = version + 1
       WHERE customer_id = $1 AND erased_at IS NULL
       RETURNING id`,
      [customerId, now],
    );
    return returnedRows<{ id: string }>(result).length;
  }
}

export const orderRepos = (m: EntityManager): OrderRepos => ({ orders: new TypeOrmOrderRepository(m) });
