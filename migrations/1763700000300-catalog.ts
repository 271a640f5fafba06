import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Catalog context tables: the category tree, products with localized jsonb text, attributes and their
 * search columns, variants (one SKU each), and the catalog's projection of the region price list
 * (fed by pricing's PriceChanged events). Search: a tsvector with GIN for full text, a trigram GIN on
 * the names for typo tolerance (pg_trgm), unaccent for accent-insensitive trigram matching.
 */
export class Catalog1763700000300 implements MigrationInterface {
  name = 'Catalog1763700000300';

  async up(q: QueryRunner): Promise<void> {
    await q.query('CREATE EXTENSION IF NOT EXISTS pg_trgm');
    await q.query('CREATE EXTENSION IF NOT EXISTS unaccent');
    await q.query(`
      CREATE TABLE catalog_categories (
        id          uuid PRIMARY KEY,
        slug        text NOT NULL,
        name        jsonb NOT NULL,
        parent_id   uuid REFERENCES catalog_categories(id),
        created_at  timestamptz NOT NULL,
        updated_at  timestamptz NOT NULL,
        CHECK (parent_id IS NULL OR parent_id <> id)
      )`);
    await q.query('CREATE UNIQUE INDEX catalog_categories_slug_uq ON catalog_categories (slug)');
    await q.query('CREATE INDEX catalog_categories_parent_idx ON catalog_categories (parent_id)');
    await q.query(`
      CREATE TABLE catalog_products (
        id               uuid PRIMARY KEY,
        slug             text NOT NULL,
        name             jsonb NOT NULL,
        description      jsonb NOT NULL,
        category_id      uuid NOT NULL REFERENCES catalog_categories(id),
        attributes       jsonb NOT NULL DEFAULT '{}'::jsonb,
        status           text NOT NULL CHECK (status IN ('draft', 'active', 'archived')),
        tax_class        text NOT NULL,
        price_amount     bigint,
        search_document  tsvector NOT NULL DEFAULT ''::tsvector,
        search_text      text NOT NULL DEFAULT '',
        created_at       timestamptz NOT NULL,
        updated_at       timestamptz NOT NULL,
        version          integer NOT NULL DEFAULT 1
      )`);
    await q.query('CREATE UNIQUE INDEX catalog_products_slug_uq ON catalog_products (slug)');
    // newest first (keyset), price ranges and category filters, each restricted by status
    await q.query(
      'CREATE INDEX catalog_products_status_created_idx ON catalog_products (status, created_at, id)',
    );
    await q.query(
      'CREATE INDEX catalog_products_status_price_idx ON catalog_products (status, price_amount, id)',
    );
    // the price sort keys of the search adapter, so that price-sorted pages are read in index order
    await q.query(
      'CREATE INDEX catalog_products_price_up_idx ON catalog_products (status, (coalesce(price_amount, 9000000000000000000::bigint)), id)',
    );
    await q.query(
      'CREATE INDEX catalog_products_price_down_idx ON catalog_products (status, (-coalesce(price_amount, -1)), id)',
    );
    await q.query('CREATE INDEX catalog_products_category_idx ON catalog_products (category_id, status)');
    await q.query('CREATE INDEX catalog_products_search_idx ON catalog_products USING gin (search_document)');
    await q.query(
      'CREATE INDEX catalog_products_trgm_idx ON catalog_products USING gin (search_text gin_trgm_ops)',
    );
    await q.query(
      'CREATE INDEX catalog_products_attributes_idx ON catalog_products USING gin (attributes jsonb_path_ops)',
    );
    await q.query(`
      CREATE TABLE catalog_variants (
        sku         text PRIMARY KEY,
        product_id  uuid NOT NULL REFERENCES catalog_products(id) ON DELETE CASCADE,
        options     jsonb NOT NULL DEFAULT '{}'::jsonb,
        position    integer NOT NULL
      )`);
    // SKUs differing only in case would be a trap for everyone who types them
    await q.query('CREATE UNIQUE INDEX catalog_variants_sku_ci_uq ON catalog_variants (lower(sku))');
    await q.query('CREATE INDEX catalog_variants_product_idx ON catalog_variants (product_id, position)');
    await q.query(`
      CREATE TABLE catalog_sku_prices (
        sku         text PRIMARY KEY,
        amount      bigint NOT NULL,
        currency    char(3) NOT NULL,
        updated_at  timestamptz NOT NULL
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const t of ['catalog_sku_prices', 'catalog_variants', 'catalog_products', 'catalog_categories']) {
      await q.query(`DROP TABLE ${t}`);
    }
    // the extensions stay: other schema objects may rely on them
  }
}
