import { isUuid } from '../../platform/ids.js';
import { money } from '../../platform/money.js';
import { ProductNotFoundError } from '../domain/catalog.errors.js';
import { resolveText } from '../domain/localized-text.value-object.js';
import type { CachedBody, CatalogCache } from './catalog-cache.js';
import type { CatalogReadModel, ProductDetailRecord } from './catalog-read.model.js';
import type { ProductSearchQuery, ProductSort, SearchIndex } from './search-index.port.js';
import type { StockAvailability } from './stock-availability.port.js';

export interface StorefrontDeps {
  readModel: CatalogReadModel;
  search: SearchIndex;
  stock: StockAvailability;
  cache: CatalogCache;
  currency: string;
  defaultLocale: string;
}

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

/** Present → true unless the inventory says none are left; unknown stock counts as in stock. */
const inStock = (available: number | null | undefined): boolean =>
  available === null || available === undefined || available > 0;

/**
 * The storefront reads of the catalog: product detail, listing/search and the category tree. Each
 * answer is a serialised body with its ETag, served cache-aside (see CatalogCache).
 */
export class CatalogQueries {
  /** the listing generation the search index last caught up for */
  private indexedGeneration: string | undefined;

  constructor(private readonly deps: StorefrontDeps) {}

  /** An active product by id or slug, localized; ProductNotFoundError for anything else. */
  async productDetail(idOrSlug: string, locale: string): Promise<CachedBody> {
    const ref = idOrSlug.toLowerCase();
    const found = await this.deps.cache.product(ref, locale, async () => {
      const record = await this.deps.readModel.activeProduct(isUuid(ref) ? { id: ref } : { slug: ref });
      return record ? this.detailView(record, locale) : null;
    });
    if (!found) throw new ProductNotFoundError();
    return found;
  }

  async listProducts(request: ListingRequest): Promise<CachedBody> {
    const query = this.normalise(request);
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

  async categories(locale: string): Promise<CachedBody> {
    return this.deps.cache.categories(locale, async () =>
      (await this.deps.readModel.categories()).map((c) => ({
        slug: c.slug,
        name: resolveText(c.name, locale, this.deps.defaultLocale),
        parent: c.parent,
      })),
    );
  }

  private async detailView(record: ProductDetailRecord, locale: string) {
    const stock = await this.deps.stock.availableFor(record.variants.map((v) => v.sku));
    const { defaultLocale, currency } = this.deps;
    return {
      id: record.id,
      slug: record.slug,
      name: resolveText(record.name, locale, defaultLocale),
      description: resolveText(record.description, locale, defaultLocale),
      category: record.category,
      attributes: record.attributes,
      variants: record.variants.map((v) => {
        const available = stock.get(v.sku) ?? null;
        return {
          sku: v.sku,
          options: v.options,
          price: v.price === null ? null : money(v.price, currency),
          inStock: inStock(available),
          available,
        };
      }),
    };
  }

  /** One canonical form per meaning, so that equivalent requests share a cache entry. */
  private normalise(r: ListingRequest): ProductSearchQuery {
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
  }
}
