import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Pricing context tables: the price list per region and SKU, promotions (coupons) with their usage
 * count, and one redemption row per promotion and order. Money columns are integer minor units.
 */
export class Pricing1763700000200 implements MigrationInterface {
  name = 'Pricing1763700000200';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE pricing_prices (
        region      text NOT NULL,
        sku         text NOT NULL,
        amount      integer NOT NULL CHECK (amount >= 0),
        currency    char(3) NOT NULL,
        updated_at  timestamptz NOT NULL,
        PRIMARY KEY (region, sku)
      )`);
    await q.query(`
      CREATE TABLE pricing_promotions (
        id           uuid PRIMARY KEY,
        region       text NOT NULL,
        code         text NOT NULL CHECK (code = upper(code)),
        type         text NOT NULL CHECK (type IN ('percentage', 'fixed')),
        value        integer NOT NULL CHECK (value >= 1 AND (type <> 'percentage' OR value <= 100)),
        currency     char(3) NOT NULL,
        min_subtotal integer CHECK (min_subtotal >= 0),
        starts_at    timestamptz,
        ends_at      timestamptz,
        usage_limit  integer CHECK (usage_limit >= 1),
        used_count   integer NOT NULL DEFAULT 0,
        created_at   timestamptz NOT NULL,
        CONSTRAINT pricing_promotions_code_uq UNIQUE (region, code),
        CONSTRAINT pricing_promotions_window_ck CHECK (starts_at IS NULL OR ends_at IS NULL OR ends_at > starts_at),
        -- the last line of defence of the usage limit: no write may ever count past it
        CONSTRAINT pricing_promotions_usage_ck CHECK (used_count >= 0 AND (usage_limit IS NULL OR used_count <= usage_limit))
      )`);
    await q.query(
      'CREATE INDEX pricing_promotions_listing_idx ON pricing_promotions (region, created_at DESC, id DESC)',
    );
    await q.query(`
      CREATE TABLE pricing_promotion_redemptions (
        promotion_id uuid NOT NULL REFERENCES pricing_promotions(id),
        order_id     uuid NOT NULL,
        redeemed_at  timestamptz NOT NULL,
        PRIMARY KEY (promotion_id, order_id)
      )`);
    await q.query(
      'CREATE INDEX pricing_promotion_redemptions_order_idx ON pricing_promotion_redemptions (order_id)',
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE pricing_promotion_redemptions');
    await q.query('DROP TABLE pricing_promotions');
    await q.query('DROP TABLE pricing_prices');
  }
}
