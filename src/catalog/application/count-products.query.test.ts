import { afterEach, describe, expect, it } from 'vitest';
import {
  type CatalogHarness,
  catalogHarness,
  seedCategory,
  seedProduct,
} from '../../../test/support/in-memory/catalog.repositories.js';
import { CountProducts } from './count-products.query.js';

describe('CountProducts', () => {
  let h: CatalogHarness;
  afterEach(() => h.cache.close());

  it('counts every product whatever its status', async () => {
    h = catalogHarness();
    const count = new CountProducts(h.deps);
    expect(await count.execute()).toBe(0);
    seedCategory(h, 'chairs');
    seedProduct(h, 'a', { category: 'chairs' });
    seedProduct(h, 'b', { category: 'chairs', status: 'draft' });
    seedProduct(h, 'c', { category: 'chairs', archived: true });
    expect(await count.execute()).toBe(3);
  });
});
