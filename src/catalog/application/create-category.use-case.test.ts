import { afterEach, describe, expect, it } from 'vitest';
import {
  type CatalogHarness,
  catalogHarness,
  categoriesAreCached,
  primeCategories,
  seedCategory,
} from '../../../test/support/in-memory/catalog.repositories.js';
import { InvalidCategoryError } from '../domain/catalog.errors.js';
import { CreateCategory } from './create-category.use-case.js';

describe('CreateCategory', () => {
  let h: CatalogHarness;
  const setup = () => {
    h = catalogHarness();
    return new CreateCategory(h.deps);
  };
  afterEach(() => h.cache.close());

  it('a root category is stored with its name in the default locale and no parent', async () => {
    const create = setup();
    const { category, parentSlug } = await create.execute({ slug: 'furniture', name: 'Furniture' });
    expect(parentSlug).toBeNull();
    expect(h.store.categoryBySlug('furniture')).toMatchObject({
      id: category.id,
      name: { en: 'Furniture' },
      parentId: null,
      createdAt: h.clock.now(),
    });
  });

  it('a category under a parent refers to it by id and answers the parent slug', async () => {
    const create = setup();
    const parent = seedCategory(h, 'furniture');
    const { parentSlug } = await create.execute({ slug: 'chairs', name: 'Chairs', parent: 'furniture' });
    expect(parentSlug).toBe('furniture');
    expect(h.store.categoryBySlug('chairs')?.parentId).toBe(parent.id);
  });

  it('an unknown parent is refused as a field error on parent, reported with the other errors, and nothing is stored', async () => {
    const create = setup();
    const refused = await create
      .execute({ slug: 'Bad Slug', name: { en: 'X', xx: 'Y' }, parent: 'nowhere' })
      .catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(InvalidCategoryError);
    const paths = (refused as InvalidCategoryError).errors?.map((e) => e.path);
    expect(paths).toEqual(expect.arrayContaining(['slug', 'parent']));
    expect(paths?.length).toBeGreaterThanOrEqual(3);
    expect(h.store.categories.size).toBe(0);
  });

  it('a duplicate slug is a CONFLICT', async () => {
    const create = setup();
    seedCategory(h, 'furniture');
    await expect(create.execute({ slug: 'furniture', name: 'Again' })).rejects.toMatchObject({
      code: 'CONFLICT',
    });
  });

  it('the cached category trees are dropped after the commit, and a category writes no integration event', async () => {
    const create = setup();
    await primeCategories(h, 'en');
    await primeCategories(h, 'de');
    await create.execute({ slug: 'furniture', name: 'Furniture' });
    expect(await categoriesAreCached(h, 'en')).toBe(false);
    expect(await categoriesAreCached(h, 'de')).toBe(false);
    expect(h.uow.commits).toBe(1);
    expect(h.uow.events).toEqual([]);
  });
});
