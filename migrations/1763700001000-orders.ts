import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Orders context tables: orders (amounts in integer minor units, fixed when placed), their lines and
 * their status history, plus the sequence behind the region's order numbers (`EU-000123`). No foreign
 * keys to other contexts: carts, customers and SKUs are plain values. Personal fields (email, shipping
 * address) are nullable because GDPR erasure anonymises them while the order is kept.
 */
export class Orders1763700001000 implements MigrationInterface {
  name = 'Orders1763700001000';

  async up(q: QueryRunner): Promise<void> {
    // unique, not gap-free: a rolled-back checkout still used its value (nextval is not transactional)
    await q.query('CREATE SEQUENCE orders_number_seq AS bigint START 1');
    await q.query(`
      CREATE TABLE orders_orders (
        id                   uuid PRIMARY KEY,
        number               text NOT NULL,
        status               text NOT NULL CHECK (status IN ('CREATED', 'PAYMENT_PENDING', 'PAYMENT_AUTHORIZED',
                               'CONFIRMED', 'PROCESSING', 'SHIPPED', 'DELIVERED', 'COMPLETED', 'CANCELLED')),
        cart_id              uuid NOT NULL,
        customer_id          uuid,
        email                text,
        currency             char(3) NOT NULL,
        tax_mode             text NOT NULL CHECK (tax_mode IN ('inclusive', 'exclusive')),
        subtotal             bigint NOT NULL CHECK (subtotal >= 0),
        discount             bigint NOT NULL CHECK (discount >= 0),
        shipping             bigint NOT NULL CHECK (shipping >= 0),
        tax                  bigint NOT NULL CHECK (tax >= 0),
        total                bigint NOT NULL CHECK (total >= 0),
        promotion_code       text,
        shipping_address     jsonb,
        shipping_option_code text NOT NULL,
        shipping_option_name text NOT NULL,
        created_at           timestamptz NOT NULL,
        updated_at           timestamptz NOT NULL,
        status_changed_at    timestamptz NOT NULL,
        erased_at            timestamptz,
        version              integer NOT NULL DEFAULT 0,
        CONSTRAINT orders_orders_number_uq UNIQUE (number)
      )`);
    // a customer's history, newest first (GET /orders, the admin customerId filter, GDPR export and erasure)
    await q.query(
      'CREATE INDEX orders_orders_customer_idx ON orders_orders (customer_id, created_at DESC, id DESC) WHERE customer_id IS NOT NULL',
    );
    // the admin listing, newest first, with or without a from/to window
    await q.query('CREATE INDEX orders_orders_created_idx ON orders_orders (created_at DESC, id DESC)');
    // the admin status filter, newest first
    await q.query(
      'CREATE INDEX orders_orders_status_idx ON orders_orders (status, created_at DESC, id DESC)',
    );
    // workers: orders stuck in a status since before an instant, oldest first (idsInStatus)
    await q.query(
      'CREATE INDEX orders_orders_status_changed_idx ON orders_orders (status, status_changed_at, id)',
    );
    // the orders placed from a cart
    await q.query('CREATE INDEX orders_orders_cart_idx ON orders_orders (cart_id)');
    await q.query(`
      CREATE TABLE orders_lines (
        order_id   uuid NOT NULL REFERENCES orders_orders(id) ON DELETE CASCADE,
        position   smallint NOT NULL CHECK (position >= 0),
        sku        text NOT NULL,
        name       text NOT NULL,
        quantity   integer NOT NULL CHECK (quantity >= 1),
        unit_price bigint NOT NULL CHECK (unit_price >= 0),
        subtotal   bigint NOT NULL CHECK (subtotal >= 0),
        discount   bigint NOT NULL CHECK (discount >= 0),
        line_total bigint NOT NULL CHECK (line_total >= 0),
        tax        bigint NOT NULL CHECK (tax >= 0),
        PRIMARY KEY (order_id, position)
      )`);
    // one row per move; (order_id, position) also catches two writers appending the same entry
    await q.query(`
      CREATE TABLE orders_status_history (
        order_id    uuid NOT NULL REFERENCES orders_orders(id) ON DELETE CASCADE,
        position    smallint NOT NULL CHECK (position >= 0),
        from_status text,
        status      text NOT NULL,
        at          timestamptz NOT NULL,
        reason      text,
        actor_kind  text NOT NULL CHECK (actor_kind IN ('customer', 'guest', 'admin', 'system')),
        actor_id    uuid,
        PRIMARY KEY (order_id, position)
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE orders_status_history');
    await q.query('DROP TABLE orders_lines');
    await q.query('DROP TABLE orders_orders');
    await q.query('DROP SEQUENCE orders_number_seq');
  }
}
