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
import { ArchiveProduct } from './archive-product.use-case.js';

describe('ArchiveProduct', () => {
  let h: CatalogHarness;
  const setup = () => {
    h = catalogHarness();
    seedCategory(h, 'chairs');
    return new ArchiveProduct(h.deps);
  };
  afterEach(() => h.cache.close());

  it('archiving an active product stores it archived, writes ProductArchived and reindexes it', async () => {
    const archive = setup();
    const chair = seedProduct(h, 'oak-chair', { category: 'chairs' });
    await archive.execute(chair.id);
    expect(h.store.product(chair.id)?.status).toBe('archived');
    expect(h.uow.eventTypes()).toEqual(['shopcore.catalog.ProductArchived.v1']);
    expect(h.uow.events[0]?.data).toMatchObject({ productId: chair.id, status: 'archived' });
    expect(h.search.indexed.map((i) => i.ids)).toEqual([[chair.id]]);
  });

  it('archiving is idempotent: an archived product succeeds again with no second event and no invalidation', async () => {
    const archive = setup();
    const chair = seedProduct(h, 'oak-chair', { category: 'chairs', archived: true });
    const version = chair.version;
    const generation = await listingGeneration(h);
    await archive.execute(chair.id);
    expect(h.uow.events).toEqual([]);
    expect(h.store.product(chair.id)?.version).toBe(version);
    expect(h.search.refreshes).toBe(0);
    expect(await listingGeneration(h)).toBe(generation);
  });

  it('after archiving an active product its cached detail and the listings are dropped', async () => {
    const archive = setup();
    const chair = seedProduct(h, 'oak-chair', { category: 'chairs' });
    await primeDetail(h, chair.id);
    await primeDetail(h, 'oak-chair');
    const generation = await listingGeneration(h);
    await archive.execute(chair.id);
    expect(h.search.refreshes).toBe(1);
    expect(await detailIsCached(h, chair.id)).toBe(false);
    expect(await detailIsCached(h, 'oak-chair')).toBe(false);
    expect(await listingGeneration(h)).not.toBe(generation);
  });

  it('archiving a draft leaves the cached listings alone (it was listed nowhere)', async () => {
    const archive = setup();
    const draft = seedProduct(h, 'oak-chair', { category: 'chairs', status: 'draft' });
    const generation = await listingGeneration(h);
    await archive.execute(draft.id);
    expect(await listingGeneration(h)).toBe(generation);
  });

  it('an unknown product is NOT_FOUND', async () => {
    const archive = setup();
    await expect(archive.execute('00000000-0000-4000-8000-999999999999')).rejects.toMatchObject({
      code: 'NOT_FOUND',
    });
  });
});
