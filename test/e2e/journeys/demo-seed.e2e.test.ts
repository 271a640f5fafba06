import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedDemoCatalog } from '../../../src/demo/demo-seed.js';
import { createLogger } from '../../../src/platform/logging/logger.js';
import { startTestApp, type TestApp } from '../../support/app.js';
import { missing } from '../../support/skip.js';

const count = async (t: TestApp, sql: string): Promise<number> =>
  Number((await t.runtime.platform.dataSource.query(sql))[0].n);

describe.skipIf(missing('postgres'))('demo data (SEED_DEMO_DATA / npm run seed)', () => {
  for (const region of ['eu', 'us', 'apac']) {
    describe(`region ${region}`, () => {
      let t: TestApp;
      beforeAll(async () => {
        t = await startTestApp({ REGION: region, SEED_DEMO_DATA: 'true' });
      });
      afterAll(async () => t?.close());

      it('seeds at least 200 active products in 10+ categories, several with variants, priced in the region currency', async () => {
        const currency = { eu: 'EUR', us: 'USD', apac: 'SGD' }[region];
        expect(
          await count(t, "SELECT count(*) AS n FROM catalog_products WHERE status = 'active'"),
        ).toBeGreaterThanOrEqual(200);
        expect(await count(t, 'SELECT count(*) AS n FROM catalog_categories')).toBeGreaterThanOrEqual(10);
        expect(
          await count(
            t,
            'SELECT count(*) AS n FROM (SELECT product_id FROM catalog_variants GROUP BY product_id HAVING count(*) > 1) v',
          ),
        ).toBeGreaterThanOrEqual(10);
        const unpriced = await count(
          t,
          `SELECT count(*) AS n FROM catalog_variants v LEFT JOIN pricing_prices p ON p.sku = v.sku AND p.region = '${region}' WHERE p.sku IS NULL`,
        );
        expect(unpriced).toBe(0);
        // stock is seeded after its products exist: inventory keeps stock only for SKUs the catalog knows
        expect(await count(t, 'SELECT count(DISTINCT sku) AS n FROM inventory_stock')).toBeGreaterThanOrEqual(
          200,
        );
        expect(
          await count(
            t,
            'SELECT count(*) AS n FROM inventory_stock s LEFT JOIN catalog_variants v ON v.sku = s.sku WHERE v.sku IS NULL',
          ),
        ).toBe(0);
        // the storefront shows prices once the PriceChanged events reached the catalog's projection
        await expect
          .poll(
            async () => {
              const page = (await t.app.inject({ method: 'GET', url: '/api/v1/products?limit=50' })).json();
              return page.items.filter((i: { price: unknown }) => i.price === null).length;
            },
            { timeout: 15_000, interval: 200 },
          )
          .toBe(0);
        const page = (
          await t.app.inject({ method: 'GET', url: '/api/v1/products?limit=5&sort=price_desc' })
        ).json();
        expect(page.items[0].price.currency).toBe(currency);
        expect(page.facets.categories.length).toBeGreaterThanOrEqual(10);
      });

      it('is idempotent: a second run adds nothing and emits no new price events', async () => {
        const products = await count(t, 'SELECT count(*) AS n FROM catalog_products');
        const events = await count(t, 'SELECT count(*) AS n FROM outbox');
        const { modules } = t.runtime;
        const again = await seedDemoCatalog({
          region,
          catalog: modules.catalog.admin,
          pricing: modules.pricing.admin,
          logger: createLogger('silent'),
        });
        expect(again).toMatchObject({ categories: 0, products: 0 });
        expect(await count(t, 'SELECT count(*) AS n FROM catalog_products')).toBe(products);
        expect(await count(t, 'SELECT count(*) AS n FROM outbox')).toBe(events);
      });
    });
  }

  it('does not seed on its own when DATABASE_URL points at a real database (SEED_DEMO_DATA=auto)', async () => {
    const t = await startTestApp();
    try {
      expect(await count(t, 'SELECT count(*) AS n FROM catalog_products')).toBe(0);
    } finally {
      await t.close();
    }
  });
});
