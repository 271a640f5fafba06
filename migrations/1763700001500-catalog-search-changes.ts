import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A change feed for in-process search indexes: every insert or update of a product row (admin edits,
 * search-document writes, the lowest-price refresh of a PriceChanged) stamps `search_changed_at` with
 * the clock at that moment, so an instance can ask "what changed since t" instead of reloading the
 * catalog. A trigger, because the row is written from several places and none may be forgotten.
 */
export class CatalogSearchChanges1763700001500 implements MigrationInterface {
  name = 'CatalogSearchChanges1763700001500';

  async up(q: QueryRunner): Promise<void> {
    await q.query(
      `ALTER TABLE catalog_products ADD COLUMN search_changed_at timestamptz NOT NULL DEFAULT clock_timestamp()`,
    );
    await q.query(`CREATE INDEX catalog_products_search_changed_idx ON catalog_products (search_changed_at)`);
    await q.query(`
      CREATE FUNCTION catalog_products_search_changed() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        NEW.search_changed_at := clock_timestamp();
        RETURN NEW;
      END $$`);
    await q.query(`
      CREATE TRIGGER catalog_products_search_changed BEFORE INSERT OR UPDATE ON catalog_products
        FOR EACH ROW EXECUTE FUNCTION catalog_products_search_changed()`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TRIGGER catalog_products_search_changed ON catalog_products');
    await q.query('DROP FUNCTION catalog_products_search_changed()');
    await q.query('ALTER TABLE catalog_products DROP COLUMN search_changed_at');
  }
}
