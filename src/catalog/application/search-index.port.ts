import type { TransactionHandle } from '../../platform/db/unit-of-work.js';
import { ValidationError } from '../../platform/errors.js';
import type { Id } from '../../platform/ids.js';

export const PRODUCT_SORTS = ['relevance', 'price_asc', 'price_desc', 'newest'] as const;
export type ProductSort = (typeof PRODUCT_SORTS)[number];

/** A storefront listing: only active products; every filter is optional. */
export interface ProductSearchQuery {
  /** free text; null lists without searching */
  text: string | null;
  /** a locale of the region: names come back in it and the text is analysed in its language */
  locale: string;
  /** a category slug; its descendants are included */
  category: string | null;
  /** bounds on the product price (its lowest variant price), integer minor units */
  minPrice: number | null;
  maxPrice: number | null;
  /** attribute name → accepted values (any of them; every named attribute must match) */
  attributes: Readonly<Record<string, readonly string[]>>;
  sort: ProductSort;
  limit: number;
  /** an opaque cursor from a previous page of the same query */
  cursor: string | null;
}

export interface ProductHit {
  id: Id;
  slug: string;
  /** the name in the query's locale, else the default locale */
  name: string;
  /** lowest variant price in minor units of the region currency, null when no variant has a price */
  price: number | null;
  /** category slug */
  category: string;
  skus: string[];
}

export interface ProductSearchResult {
  items: ProductHit[];
  nextCursor: string | null;
  /** active products matching every filter but the category, per category */
  facets: { slug: string; count: number }[];
}

/**
 * The search engine behind the storefront listing (PostgreSQL full-text and trigram by default; an
 * Elasticsearch adapter can implement the same port). Keyset pagination: a cursor encodes the sort key
 * of the last hit, so paging is stable while products are added.
 */
export interface SearchIndex {
  search(query: ProductSearchQuery): Promise<ProductSearchResult>;
  /** (Re)indexes these products from the catalog tables; in `tx` when the engine shares the database. */
  index(productIds: readonly Id[], tx: TransactionHandle): Promise<void>;
  /** A category's name changed: reindex the products in it. */
  indexCategory(categoryId: Id, tx: TransactionHandle): Promise<void>;
  /**
   * After a commit that indexed something: an engine that follows the database from outside the
   * transaction (the in-memory index) catches up now, so that the next search of this instance sees
   * the change. Engines that read the database itself need not implement it.
   */
  refresh?(): Promise<void>;
}

export class InvalidCursorError extends ValidationError {
  constructor(message = 'is not a cursor of this listing') {
    super('The cursor is invalid', [{ path: 'query.cursor', message }]);
  }
}
