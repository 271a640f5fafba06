import type pg from 'pg';
import { DataSource } from 'typeorm';
import { PostgresSearchIndex } from '../../src/catalog/adapters/search/postgres.search-index.js';
import type { TransactionHandle } from '../../src/platform/db/unit-of-work.js';

/** Words that tell the copies of a demo product apart (and that a shopper may search for). */
export const SERIES = [
  'Alpine',
  'Harbor',
  'Summit',
  'Meadow',
  'Granite',
  'Coastal',
  'Aurora',
  'Cedar',
  'Falcon',
  'Nimbus',
  'Orbit',
  'Prairie',
  'Quartz',
  'Ridge',
  'Sierra',
  'Tundra',
  'Urban',
  'Vista',
  'Willow',
  'Zephyr',
  'Atlas',
  'Beacon',
  'Canyon',
  'Delta',
  'Ember',
  'Fjord',
  'Glacier',
  'Horizon',
  'Island',
  'Juniper',
];

/**
 * Grows the demo catalog (259 active products from `SEED_DEMO_DATA`) to `target` active products by
 * bulk SQL: copies of the demo products with a series word and a number in their names (in every
 * locale), their variants (SKU `<demo SKU>-<n>`), prices in pricing and in the catalog's projection,
 * and stock in every warehouse of the region. The search documents are then written by the app's own
 * `PostgresSearchIndex.index` in batches, and the tables analysed, as after any bulk load.
 */
export const growCatalog = async (
  databaseUrl: string,
  target: number,
  region: { code: string; currency: string; locales: string[] },
): Promise<{ products: number; seconds: number }> => {
  const started = Date.now();
  const ds = new DataSource({ type: 'postgres', url: databaseUrl, poolSize: 4 });
  await ds.initialize();
  try {
    await ds.query(`CREATE TABLE IF NOT EXISTS bench_base AS
      SELECT row_number() OVER (ORDER BY created_at, id) - 1 AS i, id FROM catalog_products WHERE status = 'active'`);
    const [{ base }] = await ds.query('SELECT count(*)::int AS base FROM bench_base');
    const [{ have }] = await ds.query(
      `SELECT count(*)::int AS have FROM catalog_products WHERE status = 'active'`,
    );
    if (have >= target) return { products: have, seconds: 0 };
    const index = new PostgresSearchIndex(ds, region.locales, region.locales[0] ?? 'en');
    const chunk = 10_000;
    for (let from = have - base + 1; from <= target - base; from += chunk) {
      const to = Math.min(target - base, from + chunk - 1);
      const ids: { id: string }[] = await ds.transaction(async (tx) => {
        await tx.query(
          `CREATE TEMP TABLE bench_new ON COMMIT DROP AS
          SELECT g AS n, gen_random_uuid() AS id, b.id AS base_id, $3::text[] AS series
            FROM generate_series($1::int, $2::int) g JOIN bench_base b ON b.i = g % ${base}`,
          [from, to, SERIES],
        );
        const nameOf = (
          column: string,
        ) => `(SELECT jsonb_object_agg(k, v || ' ' || n.series[1 + n.n % ${SERIES.length}] || ' ' || n.n)
               FROM jsonb_each_text(p.${column}) AS t(k, v))`;
        await tx.query(`INSERT INTO catalog_products
            (id, slug, name, description, category_id, attributes, status, tax_class, price_amount, created_at, updated_at, version)
          SELECT n.id, p.slug || '-' || n.n, ${nameOf('name')}, p.description, p.category_id, p.attributes, 'active',
                 p.tax_class, p.price_amount, p.created_at - make_interval(secs => n.n), now(), 1
            FROM bench_new n JOIN catalog_products p ON p.id = n.base_id`);
        await tx.query(`INSERT INTO catalog_variants (sku, product_id, options, position)
          SELECT v.sku || '-' || n.n, n.id, v.options, v.position
            FROM bench_new n JOIN catalog_variants v ON v.product_id = n.base_id`);
        await tx.query(
          `INSERT INTO pricing_prices (region, sku, amount, currency, updated_at)
           SELECT $1, v.sku || '-' || n.n, pp.amount, pp.currency, now()
             FROM bench_new n JOIN catalog_variants v ON v.product_id = n.base_id
             JOIN pricing_prices pp ON pp.region = $1 AND pp.sku = v.sku`,
          [region.code],
        );
        await tx.query(`INSERT INTO catalog_sku_prices (sku, amount, currency, updated_at)
          SELECT v.sku || '-' || n.n, cp.amount, cp.currency, now()
            FROM bench_new n JOIN catalog_variants v ON v.product_id = n.base_id
            JOIN catalog_sku_prices cp ON cp.sku = v.sku`);
        await tx.query(
          `INSERT INTO inventory_stock (sku, warehouse_id, on_hand, reserved, updated_at)
           SELECT v.sku || '-' || n.n, w.id, 1000000, 0, now()
             FROM bench_new n JOIN catalog_variants v ON v.product_id = n.base_id
             CROSS JOIN inventory_warehouses w WHERE w.region = $1`,
          [region.code],
        );
        return tx.query('SELECT id FROM bench_new');
      });
      for (let k = 0; k < ids.length; k += 2000) {
        await index.index(
          ids.slice(k, k + 2000).map((r) => r.id),
          // the search index writes through the handle's EntityManager; outside a transaction here
          ds.manager as unknown as TransactionHandle,
        );
      }
    }
    for (const table of [
      'catalog_products',
      'catalog_variants',
      'catalog_sku_prices',
      'pricing_prices',
      'inventory_stock',
    ]) {
      await ds.query(`VACUUM ANALYZE ${table}`);
    }
    const [{ now }] = await ds.query(
      `SELECT count(*)::int AS now FROM catalog_products WHERE status = 'active'`,
    );
    return { products: now, seconds: (Date.now() - started) / 1000 };
  } finally {
    await ds.destroy();
  }
};

/** Words of the demo products' names, a few with a typo, and the series words of the copies. */
export const searchTerms = async (db: pg.Pool): Promise<string[]> => {
  const { rows } = await db.query<{ w: string }>(
    `SELECT DISTINCT lower(w) AS w FROM catalog_products p, regexp_split_to_table(p.name->>'en', '\\s+') w
      WHERE length(w) >= 5 ORDER BY 1 LIMIT 60`,
  );
  const words = rows.map((r) => r.w);
  const typos = words.slice(0, 15).map((w) => `${w.slice(0, 2)}${w[3]}${w[2]}${w.slice(4)}`);
  const pairs = words.slice(0, 10).map((w, k) => `${w} ${SERIES[k]?.toLowerCase()}`);
  return [...words, ...typos, ...pairs, ...SERIES.slice(0, 10).map((s) => s.toLowerCase())];
};
