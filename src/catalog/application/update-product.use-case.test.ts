import { afterEach, describe, expect, it } from 'vitest';
import {
  type CatalogHarness,
  catalogHarness,
  detailIsCached,
  listingGeneration,
  primeDetail,
  seedCategory,
  seedProduct,
} from '../../../test/support/in-memory/catalog.repositories.js';
import type { ProductProps } from '../domain/product.aggregate.js';
import { UpdateProduct } from './update-product.use-case.js';

describe('UpdateProduct', () => {
  let h: CatalogHarness;
  let chair: ProductProps;
  const setup = (status: 'active' | 'draft' = 'active') => {
    h = catalogHarness();
    seedCategory(h, 'chairs');
    seedCategory(h, 'tables');
    chair = seedProduct(h, 'oak-chair', {
      category: 'chairs',
      name: { en: 'Oak chair', de: 'Eichenstuhl' },
      status,
    });
    h.clock.advance(60_000);
    return new UpdateProduct(h.deps);
  };
  afterEach(() => h.cache.close());

  it('names merge per locale, null removing a translation, and the version and updatedAt move', async () => {
    const update = setup();
    const { product } = await update.execute(chair.id, { name: { de: null, en: 'Oak chair II' } });
    expect(product.name).toEqual({ en: 'Oak chair II' });
    expect(h.store.product(chair.id)).toMatchObject({
      name: { en: 'Oak chair II' },
      version: chair.version + 1,
      updatedAt: h.clock.now(),
    });
  });

  it('a category given by slug moves the product and is answered', async () => {
    const update = setup();
    const { categorySlug } = await update.execute(chair.id, { category: 'tables' });
    expect(categorySlug).toBe('tables');
    expect(h.store.product(chair.id)?.categoryId).toBe(h.store.categoryBySlug('tables')?.id);
  });

  it('an unknown category is a field error on category', async () => {
    const update = setup();
    await expect(update.execute(chair.id, { category: 'nowhere' })).rejects.toMatchObject({
      code: 'VALIDATION_FAILED',
      errors: [{ path: 'category' }],
    });
  });

  it('a change writes one ProductUpdated and reindexes the product', async () => {
    const update = setup();
    await update.execute(chair.id, { taxClass: 'reduced' });
    expect(h.uow.eventTypes()).toEqual(['shopcore.catalog.ProductUpdated.v1']);
    expect(h.search.indexed.map((i) => i.ids)).toEqual([[chair.id]]);
  });

  it('a patch that changes nothing writes nothing: no event, no reindex, no invalidation', async () => {
    const update = setup();
    await primeDetail(h, chair.id);
    const generation = await listingGeneration(h);
    const { product } = await update.execute(chair.id, { name: 'Oak chair', taxClass: 'standard' });
    expect(product.version).toBe(chair.version);
    expect(h.uow.events).toEqual([]);
    expect(h.search.indexed).toEqual([]);
    expect(h.search.refreshes).toBe(0);
    expect(await detailIsCached(h, chair.id)).toBe(true);
    expect(await listingGeneration(h)).toBe(generation);
  });

  it('a slug change drops the cached detail under the id, the old slug and the new slug, and the listings', async () => {
    const update = setup();
    for (const ref of [chair.id, 'oak-chair', 'oak-chair-2']) await primeDetail(h, ref);
    const generation = await listingGeneration(h);
    await update.execute(chair.id, { slug: 'oak-chair-2' });
    expect(h.search.refreshes).toBe(1);
    for (const ref of [chair.id, 'oak-chair', 'oak-chair-2'])
      expect(await detailIsCached(h, ref)).toBe(false);
    expect(await listingGeneration(h)).not.toBe(generation);
  });

  it('a draft that stays a draft leaves the cached listings alone', async () => {
    const update = setup('draft');
    const generation = await listingGeneration(h);
    await update.execute(chair.id, { taxClass: 'reduced' });
    expect(await listingGeneration(h)).toBe(generation);
  });

  it('new variants whose SKU another product holds are a CONFLICT and nothing is saved', async () => {
    const update = setup();
    seedProduct(h, 'pine-table', { category: 'tables', skus: ['TABLE-PINE'] });
    await expect(
      update.execute(chair.id, { variants: [{ sku: 'table-pine', options: {} }] }),
    ).rejects.toMatchObject({ code: 'CONFLICT', skus: ['TABLE-PINE'] });
    expect(h.store.product(chair.id)?.variants.map((v) => v.sku)).toEqual(chair.variants.map((v) => v.sku));
  });

  it('an archived product cannot change (CONFLICT)', async () => {
    h = catalogHarness();
    seedCategory(h, 'chairs');
    const archived = seedProduct(h, 'old-chair', { category: 'chairs', archived: true });
    await expect(new UpdateProduct(h.deps).execute(archived.id, { name: 'New' })).rejects.toMatchObject({
      code: 'CONFLICT',
    });
  });

  it('an unknown product is NOT_FOUND', async () => {
    const update = setup();
    await expect(update.execute('00000000-0000-4000-8000-999999999999', { name: 'X' })).rejects.toMatchObject(
      { code: 'NOT_FOUND' },
    );
  });
});
