import { afterEach, describe, expect, it } from 'vitest';
import {
  type CatalogHarness,
  catalogHarness,
  seedCategory,
  seedProduct,
} from '../../../test/support/in-memory/catalog.repositories.js';
import { etagOf } from './catalog.cache.js';
import { GetProductDetail } from './get-product-detail.query.js';

describe('GetProductDetail', () => {
  let h: CatalogHarness;
  const setup = () => {
    h = catalogHarness();
    seedCategory(h, 'chairs');
    return new GetProductDetail(h.deps);
  };
  afterEach(() => h.cache.close());

  it('an active product is found by id or by slug in any case, localized, with prices in the region currency', async () => {
    const detail = setup();
    const p = seedProduct(h, 'oak-chair', {
      category: 'chairs',
      name: { en: 'Oak chair', de: 'Eichenstuhl' },
      skus: ['OAK-1'],
    });
    h.store.prices.set('OAK-1', { amount: 4999, currency: 'EUR', at: h.clock.now() });
    const bySlug = JSON.parse((await detail.execute('OAK-Chair', 'de')).body);
    expect(bySlug).toMatchObject({
      id: p.id,
      slug: 'oak-chair',
      name: 'Eichenstuhl',
      description: '',
      category: 'chairs',
      variants: [{ sku: 'OAK-1', price: { amount: 4999, currency: 'EUR' } }],
    });
    expect(JSON.parse((await detail.execute(p.id.toUpperCase(), 'de')).body)).toEqual(bySlug);
  });

  it('a variant without a price has price null', async () => {
    const detail = setup();
    seedProduct(h, 'oak-chair', { category: 'chairs', skus: ['OAK-1'] });
    expect(JSON.parse((await detail.execute('oak-chair', 'en')).body).variants[0].price).toBeNull();
  });

  it('availability comes from the stock port: none left is out of stock, unknown counts as in stock', async () => {
    const detail = setup();
    seedProduct(h, 'oak-chair', { category: 'chairs', skus: ['OAK-1', 'OAK-2', 'OAK-3'] });
    h.stock.stock.set('OAK-1', 0);
    h.stock.stock.set('OAK-2', 7);
    const { variants } = JSON.parse((await detail.execute('oak-chair', 'en')).body);
    expect(
      variants.map((v: { inStock: boolean; available: number | null }) => [v.inStock, v.available]),
    ).toEqual([
      [false, 0],
      [true, 7],
      [true, null],
    ]);
  });

  it.each(['draft', 'archived'] as const)(
    'a %s product is NOT_FOUND, as is an unknown one',
    async (status) => {
      const detail = setup();
      seedProduct(h, 'oak-chair', {
        category: 'chairs',
        status: status === 'draft' ? 'draft' : 'active',
        archived: status === 'archived',
      });
      await expect(detail.execute('oak-chair', 'en')).rejects.toMatchObject({ code: 'NOT_FOUND' });
      await expect(detail.execute('no-such-chair', 'en')).rejects.toMatchObject({ code: 'NOT_FOUND' });
    },
  );

  it('the answer carries the ETag of its exact body and is served from the cache until invalidated', async () => {
    const detail = setup();
    const p = seedProduct(h, 'oak-chair', { category: 'chairs', name: 'Oak chair' });
    const first = await detail.execute('oak-chair', 'en');
    expect(first.etag).toBe(etagOf(first.body));
    h.store.products.set(p.id, { ...p, name: { en: 'Renamed' } });
    expect(await detail.execute('oak-chair', 'en')).toEqual(first);
    await h.cache.productsChanged([{ id: p.id, slugs: ['oak-chair'] }], { listings: false });
    expect(JSON.parse((await detail.execute('oak-chair', 'en')).body).name).toBe('Renamed');
  });
});
