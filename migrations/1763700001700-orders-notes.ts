import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Notes on an order get a table of their own. A note (a payment capture that failed and is retried, a
 * capture made) was a status-history row from the order's status to itself (`SHIPPED → SHIPPED`),
 * which the order view showed as a second SHIPPED. The history now holds moves only.
 *
 * `up` moves those rows — the only ones with `from_status = status`, since a move to the same status is
 * refused — into `orders_notes` and renumbers the moves left (positions are the primary key and the
 * repository appends after the last one). `down` puts the notes back after each order's moves.
 */
export class OrdersNotes1763700001700 implements MigrationInterface {
  name = 'OrdersNotes1763700001700';

  async up(q: QueryRunner): Promise<void> {
    // one row per note; (order_id, position) also catches two writers appending the same note
    await q.query(`
      CREATE TABLE orders_notes (
        order_id   uuid NOT NULL REFERENCES orders_orders(id) ON DELETE CASCADE,
        position   smallint NOT NULL CHECK (position >= 0),
        at         timestamptz NOT NULL,
        text       text NOT NULL,
        actor_kind text NOT NULL CHECK (actor_kind IN ('customer', 'guest', 'admin', 'system')),
        actor_id   uuid,
        PRIMARY KEY (order_id, position)
      )`);
    await q.query(`
      INSERT INTO orders_notes (order_id, position, at, text, actor_kind, actor_id)
      SELECT order_id, row_number() OVER (PARTITION BY order_id ORDER BY position) - 1,
             at, coalesce(reason, ''), actor_kind, actor_id
      FROM orders_status_history WHERE from_status = status`);
    await q.query('DELETE FROM orders_status_history WHERE from_status = status');
    // renumber the moves of those orders 0, 1, 2, …: first out of the way (a primary key is checked
    // row by row), then into place
    await q.query(`
      UPDATE orders_status_history SET position = position + 16384
      WHERE order_id IN (SELECT DISTINCT order_id FROM orders_notes)`);
    await q.query(`
      UPDATE orders_status_history h SET position = r.n
      FROM (SELECT order_id, position, row_number() OVER (PARTITION BY order_id ORDER BY position) - 1 AS n
            FROM orders_status_history WHERE position >= 16384) r
      WHERE h.order_id = r.order_id AND h.position = r.position`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      INSERT INTO orders_status_history (order_id, position, from_status, status, at, reason, actor_kind, actor_id)
      SELECT n.order_id,
             (SELECT count(*) FROM orders_status_history h WHERE h.order_id = n.order_id) + n.position,
             o.status, o.status, n.at, n.text, n.actor_kind, n.actor_id
      FROM orders_notes n JOIN orders_orders o ON o.id = n.order_id`);
    await q.query('DROP TABLE orders_notes');
  }
}
