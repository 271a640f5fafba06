import { money } from '../../platform/money.js';
import { inStock } from '../domain/catalog.rules.js';
import type { CachedBody } from './catalog.cache.js';
import type { CatalogDeps } from './catalog.deps.js';
import type { ProductSearchQuery, ProductSort } from './search-index.port.js';

/** A listing request after validation at the edge. */
export interface ListingRequest {
  q?: string;
  category?: string;
  minPrice?: number;
  maxPrice?: number;
  sort?: ProductSort;
  limit: number;
  cursor?: string;
  attributes: Readonly<Record<string, readonly string[]>>;
  locale: string;
}

/**
 * The storefront listing and search: a page of active products from the search index, with prices,
 * availability, the next cursor and the category facets. Served cache-aside under the listing
 * generation (see CatalogCache); equivalent requests share one entry.
 */
export class ListProducts {
  /** the listing generation the search index last caught up for */
  private indexedGeneration: string | undefined;

  constructor(private readonly deps: Pick<CatalogDeps, 'search' | 'stock' | 'cache' | 'currency'>) {}

  async execute(request: ListingRequest): Promise<CachedBody> {
    const query = normalise(request);
    const { locale, ...rest } = query;
    return this.deps.cache.listing(JSON.stringify(rest), locale, async (generation) => {
      // another instance changed the catalog (it replaced the generation after its commit): an index
      // that follows the database from outside catches up first, so this instance lists the change too
      if (generation !== undefined && generation !== this.indexedGeneration && this.deps.search.refresh) {
        await this.deps.search.refresh();
        this.indexedGeneration = generation;
      }
      const result = await this.deps.search.search(query);
      const stock = await this.deps.stock.availableFor(result.items.flatMap((i) => i.skus));
      return {
        items: result.items.map((hit) => ({
          id: hit.id,
          slug: hit.slug,
          name: hit.name,
          price: hit.price === null ? null : money(hit.price, this.deps.currency),
          inStock: hit.skus.some((sku) => inStock(stock.get(sku))),
          category: hit.category,
        })),
        nextCursor: result.nextCursor,
        facets: { categories: result.facets },
      };
    });
  }
}

/** One canonical form per meaning, so that equivalent requests share a cache entry. */
const normalise = (r: ListingRequest): ProductSearchQuery => {
  const text = r.q?.trim().replace(/\s+/g, ' ') || null;
  const attributes: Record<string, string[]> = {};
  for (const name of Object.keys(r.attributes).sort()) {
    attributes[name] = [...new Set(r.attributes[name])].sort();
  }
  return {
    text,
    locale: r.locale,
    category: r.category ?? null,
    minPrice: r.minPrice ?? null,
    maxPrice: r.maxPrice ?? null,
    attributes,
    // relevance needs a text to be relevant to; without one, newest first
    sort:
      r.sort === undefined || (r.sort === 'relevance' && !text) ? (text ? 'relevance' : 'newest') : r.sort,
    limit: r.limit,
    cursor: r.cursor ?? null,
  };
};
