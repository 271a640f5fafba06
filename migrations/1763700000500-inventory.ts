import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Inventory context tables: the region's warehouses, stock per SKU and warehouse (on hand and
 * reserved, with CHECKs as the last line of defence against oversell), the movement ledger (one row
 * per change of either number), and reservations per order (a header row that is the order's
 * idempotency anchor and expiry clock, plus its allocated lines).
 */
export class Inventory1763700000500 implements MigrationInterface {
  name = 'Inventory1763700000500';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE inventory_warehouses (
        id      uuid PRIMARY KEY,
        region  text NOT NULL,
        code    text NOT NULL,
        name    text NOT NULL,
        CONSTRAINT inventory_warehouses_code_uq UNIQUE (region, code)
      )`);
    await q.query(`
      CREATE TABLE inventory_stock (
        sku           text NOT NULL,
        warehouse_id  uuid NOT NULL REFERENCES inventory_warehouses(id),
        on_hand       integer NOT NULL DEFAULT 0,
        reserved      integer NOT NULL DEFAULT 0,
        updated_at    timestamptz NOT NULL,
        PRIMARY KEY (sku, warehouse_id),
        CONSTRAINT inventory_stock_on_hand_ck CHECK (on_hand >= 0),
        CONSTRAINT inventory_stock_reserved_ck CHECK (reserved >= 0),
        -- no write may ever promise more than is on the shelf
        CONSTRAINT inventory_stock_no_oversell_ck CHECK (reserved <= on_hand)
      )`);
    await q.query(`
      CREATE TABLE inventory_movements (
        seq             bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        id              uuid NOT NULL UNIQUE,
        sku             text NOT NULL,
        warehouse_id    uuid NOT NULL REFERENCES inventory_warehouses(id),
        kind            text NOT NULL CHECK (kind IN ('adjustment', 'reservation', 'release')),
        delta           integer NOT NULL,
        reserved_delta  integer NOT NULL,
        reason          text NOT NULL,
        actor           text NOT NULL,
        order_id        uuid,
        on_hand_after   integer NOT NULL,
        reserved_after  integer NOT NULL,
        created_at      timestamptz NOT NULL
      )`);
    await q.query('CREATE INDEX inventory_movements_sku_idx ON inventory_movements (sku, seq DESC)');
    await q.query(`
      CREATE TABLE inventory_reservations (
        order_id        uuid PRIMARY KEY,
        status          text NOT NULL CHECK (status IN ('reserved', 'confirmed', 'released')),
        -- only a 'reserved' reservation expires; 'confirmed' (the order was paid) holds until released
        expires_at      timestamptz NOT NULL,
        created_at      timestamptz NOT NULL,
        released_at     timestamptz,
        release_reason  text
      )`);
    await q.query(
      `CREATE INDEX inventory_reservations_expiry_idx ON inventory_reservations (expires_at) WHERE status = 'reserved'`,
    );
    await q.query(`
      CREATE TABLE inventory_reservation_lines (
        order_id      uuid NOT NULL REFERENCES inventory_reservations(order_id) ON DELETE CASCADE,
        sku           text NOT NULL,
        warehouse_id  uuid NOT NULL REFERENCES inventory_warehouses(id),
        quantity      integer NOT NULL CHECK (quantity > 0),
        PRIMARY KEY (order_id, sku, warehouse_id)
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE inventory_reservation_lines');
    await q.query('DROP TABLE inventory_reservations');
    await q.query('DROP TABLE inventory_movements');
    await q.query('DROP TABLE inventory_stock');
    await q.query('DROP TABLE inventory_warehouses');
  }
}
