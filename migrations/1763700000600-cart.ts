import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Cart context tables: carts (guest or customer; a customer has at most one open cart) and their
 * lines. No money is stored: carts are priced by pricing whenever they are shown. No foreign keys to
 * other contexts (customer ids and SKUs are plain values).
 */
export class Cart1763700000600 implements MigrationInterface {
  name = 'Cart1763700000600';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE cart_carts (
        id               uuid PRIMARY KEY,
        customer_id      uuid,
        email            text,
        currency         char(3) NOT NULL,
        promotion_code   text,
        shipping_address jsonb,
        shipping_option  text,
        status           text NOT NULL CHECK (status IN ('open', 'closed', 'expired')),
        order_id         uuid,
        created_at       timestamptz NOT NULL,
        updated_at       timestamptz NOT NULL,
        expires_at       timestamptz NOT NULL,
        version          integer NOT NULL DEFAULT 0
      )`);
    // a customer has at most one open cart
    await q.query(
      `CREATE UNIQUE INDEX cart_carts_customer_open_uq ON cart_carts (customer_id) WHERE status = 'open' AND customer_id IS NOT NULL`,
    );
    // the idle sweeper's scan: open carts by expiry, and expired ones whose lines are due for deletion
    await q.query(`CREATE INDEX cart_carts_expiry_idx ON cart_carts (status, expires_at)`);
    await q.query(`
      CREATE TABLE cart_lines (
        cart_id   uuid NOT NULL REFERENCES cart_carts(id) ON DELETE CASCADE,
        sku       text NOT NULL,
        quantity  integer NOT NULL CHECK (quantity BETWEEN 1 AND 99),
        added_at  timestamptz NOT NULL,
        PRIMARY KEY (cart_id, sku)
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE cart_lines');
    await q.query('DROP TABLE cart_carts');
  }
}
