import { afterEach, describe, expect, it } from 'vitest';
import {
  type CatalogHarness,
  catalogHarness,
  seedCategory,
  seedProduct,
} from '../../../test/support/in-memory/catalog.repositories.js';
import { GetAdminProduct } from './get-admin-product.query.js';

describe('GetAdminProduct', () => {
  let h: CatalogHarness;
  const setup = () => {
    h = catalogHarness();
    seedCategory(h, 'chairs');
    return new GetAdminProduct(h.deps);
  };
  afterEach(() => h.cache.close());

  it.each(['draft', 'archived'] as const)('staff see a %s product with its category slug', async (status) => {
    const get = setup();
    const p = seedProduct(h, 'oak-chair', {
      category: 'chairs',
      status: status === 'draft' ? 'draft' : 'active',
      archived: status === 'archived',
    });
    const { product, categorySlug } = await get.execute(p.id);
    expect(product.status).toBe(status);
    expect(categorySlug).toBe('chairs');
  });

  it('an unknown id is NOT_FOUND', async () => {
    const get = setup();
    await expect(get.execute('00000000-0000-4000-8000-999999999999')).rejects.toMatchObject({
      code: 'NOT_FOUND',
    });
  });
});
