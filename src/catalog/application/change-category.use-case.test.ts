import { afterEach, describe, expect, it } from 'vitest';
import {
  type CatalogHarness,
  catalogHarness,
  categoriesAreCached,
  primeCategories,
  seedCategory,
} from '../../../test/support/in-memory/catalog.repositories.js';
import { ChangeCategory } from './change-category.use-case.js';

describe('ChangeCategory', () => {
  let h: CatalogHarness;
  const setup = () => {
    h = catalogHarness();
    seedCategory(h, 'home');
    seedCategory(h, 'furniture', { parent: 'home' });
    seedCategory(h, 'chairs', { parent: 'furniture' });
    return new ChangeCategory(h.deps);
  };
  afterEach(() => h.cache.close());

  it('a rename merges per locale, reindexes the category’s products and keeps the parent', async () => {
    const change = setup();
    const { category, parentSlug } = await change.execute('chairs', { name: { de: 'Stühle' } });
    expect(category.name).toEqual({ en: 'chairs', de: 'Stühle' });
    expect(parentSlug).toBe('furniture');
    expect(h.store.categoryBySlug('chairs')?.name).toEqual({ en: 'chairs', de: 'Stühle' });
    expect(h.search.indexedCategories).toEqual([category.id]);
  });

  it('a rename to the same name reindexes nothing', async () => {
    const change = setup();
    await change.execute('chairs', { name: 'chairs' });
    expect(h.search.indexedCategories).toEqual([]);
  });

  it('a move locks the tree and places the category under the new parent', async () => {
    const change = setup();
    const { parentSlug } = await change.execute('chairs', { parent: 'home' });
    expect(parentSlug).toBe('home');
    expect(h.store.categoryBySlug('chairs')?.parentId).toBe(h.store.categoryBySlug('home')?.id);
    expect(h.store.treeLocks).toBe(1);
  });

  it('a move to null makes the category a root', async () => {
    const change = setup();
    const { parentSlug } = await change.execute('chairs', { parent: null });
    expect(parentSlug).toBeNull();
    expect(h.store.categoryBySlug('chairs')?.parentId).toBeNull();
  });

  it('a move under its own descendant is a CONFLICT and changes nothing', async () => {
    const change = setup();
    await expect(change.execute('home', { parent: 'chairs' })).rejects.toMatchObject({ code: 'CONFLICT' });
    expect(h.store.categoryBySlug('home')?.parentId).toBeNull();
  });

  it('an unknown new parent is a field error on parent', async () => {
    const change = setup();
    await expect(change.execute('chairs', { parent: 'nowhere' })).rejects.toMatchObject({
      code: 'VALIDATION_FAILED',
      errors: [{ path: 'parent' }],
    });
  });

  it('an unknown category is NOT_FOUND', async () => {
    const change = setup();
    await expect(change.execute('nowhere', { name: 'X' })).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });

  it('after the commit the search index catches up and the cached trees are dropped', async () => {
    const change = setup();
    await primeCategories(h);
    await change.execute('chairs', { name: 'Seats' });
    expect(h.search.refreshes).toBe(1);
    expect(await categoriesAreCached(h)).toBe(false);
  });
});
