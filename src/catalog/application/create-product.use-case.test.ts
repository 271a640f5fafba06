import { afterEach, describe, expect, it } from 'vitest';
import {
  type CatalogHarness,
  catalogHarness,
  listingGeneration,
  seedCategory,
  seedProduct,
} from '../../../test/support/in-memory/catalog.repositories.js';
import { InvalidProductError } from '../domain/catalog.errors.js';
import { CreateProduct, type ProductInput } from './create-product.use-case.js';

const chair = (over: Partial<ProductInput> = {}): ProductInput => ({
  slug: 'oak-chair',
  name: { en: 'Oak chair', de: 'Eichenstuhl' },
  category: 'chairs',
  status: 'active',
  variants: [{ sku: 'CHAIR-OAK', options: { wood: 'oak' } }],
  ...over,
});

describe('CreateProduct', () => {
  let h: CatalogHarness;
  const setup = () => {
    h = catalogHarness();
    seedCategory(h, 'chairs');
    return new CreateProduct(h.deps);
  };
  afterEach(() => h.cache.close());

  it('a valid product is stored, indexed in the same unit of work and answered with its category slug', async () => {
    const create = setup();
    const { product, categorySlug } = await create.execute(chair());
    expect(categorySlug).toBe('chairs');
    expect(h.store.product(product.id)).toMatchObject({
      slug: 'oak-chair',
      status: 'active',
      taxClass: 'standard',
      categoryId: h.store.categoryBySlug('chairs')?.id,
      createdAt: h.clock.now(),
    });
    expect(h.search.indexed.map((i) => i.ids)).toEqual([[product.id]]);
  });

  it('a new product is a draft unless said otherwise', async () => {
    const create = setup();
    const { product } = await create.execute(chair({ status: undefined }));
    expect(h.store.product(product.id)?.status).toBe('draft');
  });

  it('creating writes one ProductCreated with the slug, SKUs and status', async () => {
    const create = setup();
    const { product } = await create.execute(chair());
    expect(h.uow.eventTypes()).toEqual(['shopcore.catalog.ProductCreated.v1']);
    expect(h.uow.events[0]?.data).toEqual({
      productId: product.id,
      slug: 'oak-chair',
      skus: ['CHAIR-OAK'],
      status: 'active',
    });
  });

  it('an unknown category is a field error on category, reported with every other error, and nothing is stored', async () => {
    const create = setup();
    const refused = await create
      .execute(chair({ category: 'nowhere', slug: 'Not A Slug', taxClass: 'luxury' }))
      .catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(InvalidProductError);
    expect((refused as InvalidProductError).errors?.map((e) => e.path)).toEqual(
      expect.arrayContaining(['slug', 'taxClass', 'category']),
    );
    expect(h.store.products.size).toBe(0);
    expect(h.uow.events).toEqual([]);
  });

  it('a translation in a locale the region does not serve is refused', async () => {
    const create = setup();
    await expect(create.execute(chair({ name: { en: 'Chair', fr: 'Chaise' } }))).rejects.toMatchObject({
      code: 'VALIDATION_FAILED',
    });
  });

  it('a SKU another product holds, in any case, is a CONFLICT naming it', async () => {
    const create = setup();
    seedProduct(h, 'old-chair', { category: 'chairs', skus: ['CHAIR-OAK'] });
    await expect(
      create.execute(chair({ variants: [{ sku: 'chair-oak', options: {} }] })),
    ).rejects.toMatchObject({ code: 'CONFLICT', skus: ['CHAIR-OAK'] });
    expect(h.store.products.size).toBe(1);
  });

  it('a duplicate product slug is a CONFLICT', async () => {
    const create = setup();
    seedProduct(h, 'oak-chair', { category: 'chairs', skus: ['OTHER'] });
    await expect(create.execute(chair())).rejects.toMatchObject({ code: 'CONFLICT' });
  });

  it('after the commit the search index catches up, and an active product replaces the listing generation', async () => {
    const create = setup();
    const before = await listingGeneration(h);
    await create.execute(chair());
    expect(h.search.refreshes).toBe(1);
    expect(await listingGeneration(h)).not.toBe(before);
  });

  it('a draft product leaves the cached listings alone (it is listed nowhere)', async () => {
    const create = setup();
    const before = await listingGeneration(h);
    await create.execute(chair({ status: 'draft' }));
    expect(await listingGeneration(h)).toBe(before);
  });
});
