import { afterEach, describe, expect, it } from 'vitest';
import {
  type CatalogHarness,
  catalogHarness,
  seedCategory,
  seedProduct,
} from '../../../test/support/in-memory/catalog.repositories.js';
import { FindVariants } from './find-variants.query.js';

describe('FindVariants', () => {
  let h: CatalogHarness;
  const setup = () => {
    h = catalogHarness();
    seedCategory(h, 'chairs');
    return new FindVariants(h.deps);
  };
  afterEach(() => h.cache.close());

  it('known SKUs come back with the product name in the default locale; unknown ones are left out', async () => {
    const find = setup();
    const p = seedProduct(h, 'oak-chair', {
      category: 'chairs',
      name: { en: 'Oak chair', de: 'Eichenstuhl' },
      skus: ['OAK-1', 'OAK-2'],
      taxClass: 'reduced',
    });
    const found = await find.execute(['OAK-2', 'NOPE']);
    expect(found).toEqual([
      {
        sku: 'OAK-2',
        productId: p.id,
        productName: 'Oak chair',
        slug: 'oak-chair',
        status: 'active',
        taxClass: 'reduced',
      },
    ]);
  });

  it('a SKU asked twice is answered once', async () => {
    const find = setup();
    seedProduct(h, 'oak-chair', { category: 'chairs', skus: ['OAK-1'] });
    expect(await find.execute(['OAK-1', 'OAK-1'])).toHaveLength(1);
  });

  it('no SKUs, no read: an empty answer', async () => {
    const find = setup();
    seedProduct(h, 'oak-chair', { category: 'chairs', skus: ['OAK-1'] });
    expect(await find.execute([])).toEqual([]);
  });
});
