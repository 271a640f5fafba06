import { afterEach, describe, expect, it } from 'vitest';
import {
  type CatalogHarness,
  catalogHarness,
  seedCategory,
  seedProduct,
} from '../../../test/support/in-memory/catalog.repositories.js';
import { SkuExists } from './sku-exists.query.js';

describe('SkuExists', () => {
  let h: CatalogHarness;
  afterEach(() => h.cache.close());

  it('a SKU exists whatever its product’s status; an unknown one does not', async () => {
    h = catalogHarness();
    seedCategory(h, 'chairs');
    seedProduct(h, 'a', { category: 'chairs', skus: ['A-1'], archived: true });
    seedProduct(h, 'b', { category: 'chairs', skus: ['B-1'], status: 'draft' });
    const exists = new SkuExists(h.deps);
    expect(await exists.execute('A-1')).toBe(true);
    expect(await exists.execute('B-1')).toBe(true);
    expect(await exists.execute('C-1')).toBe(false);
  });
});
