import { afterEach, describe, expect, it } from 'vitest';
import { type CatalogHarness, catalogHarness } from '../../../test/support/in-memory/catalog.repositories.js';
import { type ListingRequest, ListProducts } from './list-products.query.js';

const request = (over: Partial<ListingRequest> = {}): ListingRequest => ({
  limit: 24,
  attributes: {},
  locale: 'en',
  ...over,
});

const hit = (id: string, skus: string[], price: number | null) => ({
  id,
  slug: `p-${id}`,
  name: `Product ${id}`,
  price,
  category: 'chairs',
  skus,
});

describe('ListProducts', () => {
  let h: CatalogHarness;
  const setup = () => {
    h = catalogHarness();
    return new ListProducts(h.deps);
  };
  afterEach(() => h.cache.close());

  it('hits come back with prices in the region currency, in-stock flags from the stock port, the next cursor and the facets', async () => {
    const list = setup();
    h.search.result = {
      items: [hit('1', ['A', 'B'], 1200), hit('2', ['C'], null), hit('3', ['D'], 500)],
      nextCursor: 'next',
      facets: [{ slug: 'chairs', count: 3 }],
    };
    h.stock.stock.set('A', 0);
    h.stock.stock.set('B', 2);
    h.stock.stock.set('C', 0);
    const page = JSON.parse((await list.execute(request())).body);
    expect(page).toEqual({
      items: [
        {
          id: '1',
          slug: 'p-1',
          name: 'Product 1',
          price: { amount: 1200, currency: 'EUR' },
          inStock: true,
          category: 'chairs',
        },
        { id: '2', slug: 'p-2', name: 'Product 2', price: null, inStock: false, category: 'chairs' },
        {
          id: '3',
          slug: 'p-3',
          name: 'Product 3',
          price: { amount: 500, currency: 'EUR' },
          inStock: true,
          category: 'chairs',
        },
      ],
      nextCursor: 'next',
      facets: { categories: [{ slug: 'chairs', count: 3 }] },
    });
  });

  it('the query reaching the index is normalised: text trimmed and collapsed, attribute names and values sorted and deduplicated, absent filters null', async () => {
    const list = setup();
    await list.execute(
      request({
        q: '  oak   chair ',
        attributes: { wood: ['pine', 'oak', 'pine'], color: ['red'] },
        cursor: 'c',
      }),
    );
    expect(h.search.queries[0]).toEqual({
      text: 'oak chair',
      locale: 'en',
      category: null,
      minPrice: null,
      maxPrice: null,
      attributes: { color: ['red'], wood: ['oak', 'pine'] },
      sort: 'relevance',
      limit: 24,
      cursor: 'c',
    });
    expect(Object.keys(h.search.queries[0]?.attributes ?? {})).toEqual(['color', 'wood']);
  });

  it('the sort defaults to relevance with a text and newest without; relevance without a text runs as newest', async () => {
    const list = setup();
    await list.execute(request({ q: 'oak' }));
    await list.execute(request({ locale: 'de' }));
    await list.execute(request({ sort: 'relevance', q: '   ' }));
    await list.execute(request({ sort: 'price_asc', q: 'oak' }));
    expect(h.search.queries.map((q) => q.sort)).toEqual(['relevance', 'newest', 'newest', 'price_asc']);
  });

  it('equivalent requests share one cached page: the index is asked once', async () => {
    const list = setup();
    const first = await list.execute(request({ q: 'oak  chair', attributes: { wood: ['oak', 'pine'] } }));
    const second = await list.execute(request({ q: ' oak chair', attributes: { wood: ['pine', 'oak'] } }));
    expect(second).toEqual(first);
    expect(h.search.queries).toHaveLength(1);
  });

  it('under a new listing generation the index catches up before searching, once per generation', async () => {
    const list = setup();
    await list.execute(request({ q: 'a' }));
    expect(h.search.refreshes).toBe(1);
    await list.execute(request({ q: 'b' }));
    expect(h.search.refreshes).toBe(1);
    await h.cache.listingsChanged();
    await list.execute(request({ q: 'a' }));
    expect(h.search.refreshes).toBe(2);
    expect(h.search.queries).toHaveLength(3);
  });
});
