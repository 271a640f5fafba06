import { afterEach, describe, expect, it } from 'vitest';
import {
  type CatalogHarness,
  catalogHarness,
  seedCategory,
} from '../../../test/support/in-memory/catalog.repositories.js';
import { ListCategories } from './list-categories.query.js';

describe('ListCategories', () => {
  let h: CatalogHarness;
  const setup = () => {
    h = catalogHarness();
    seedCategory(h, 'home', { name: { en: 'Home', de: 'Zuhause' } });
    seedCategory(h, 'chairs', { name: 'Chairs', parent: 'home' });
    return new ListCategories(h.deps);
  };
  afterEach(() => h.cache.close());

  it('the tree comes parents first, names in the asked locale or else the default one', async () => {
    const list = setup();
    const { body } = await list.execute('de');
    expect(JSON.parse(body)).toEqual([
      { slug: 'home', name: 'Zuhause', parent: null },
      { slug: 'chairs', name: 'Chairs', parent: 'home' },
    ]);
  });

  it('the answer is cached per locale: a second read does not see a change until it is invalidated', async () => {
    const list = setup();
    const first = await list.execute('en');
    seedCategory(h, 'tables');
    expect(await list.execute('en')).toEqual(first);
    await h.cache.categoriesChanged();
    expect(JSON.parse((await list.execute('en')).body)).toHaveLength(3);
  });
});
