import type { Id } from '../../platform/ids.js';
import type { Category } from '../domain/category.aggregate.js';
import type { Product, ProductStatus } from '../domain/product.aggregate.js';

/** Persistence ports of the catalog's write side; adapters live in adapters/persistence. */
export interface ProductRepository {
  findById(id: Id): Promise<Product | null>;
  /** Locks the product row for the rest of the transaction. */
  findByIdForUpdate(id: Id): Promise<Product | null>;
  /** Inserts the product and its variants. Throws ProductSlugTakenError or SkuTakenError. */
  insert(product: Product): Promise<void>;
  /** Saves the product and replaces its variants. Throws ProductSlugTakenError or SkuTakenError. */
  update(product: Product): Promise<void>;
  /** Those of `skus` (compared case-insensitively) that belong to a product other than `exceptProductId`. */
  skusTaken(skus: readonly string[], exceptProductId?: Id): Promise<string[]>;
  count(): Promise<number>;
}

export interface CategoryRepository {
  findById(id: Id): Promise<Category | null>;
  findBySlug(slug: string): Promise<Category | null>;
  /** Serialises changes to the shape of the tree until the transaction ends (no concurrent cycles). */
  lockTree(): Promise<void>;
  /** The ids from this category's parent up to the root. */
  ancestorIds(id: Id): Promise<Id[]>;
  /** Throws CategorySlugTakenError. */
  insert(category: Category): Promise<void>;
  /** Throws CategorySlugTakenError. */
  update(category: Category): Promise<void>;
}

export interface PriceChange {
  sku: string;
  /** integer minor units of the region currency */
  amount: number;
  currency: string;
  /** when pricing changed it (the event time); older changes never overwrite newer ones */
  at: Date;
}

export interface AffectedProduct {
  id: Id;
  slug: string;
  status: ProductStatus;
}

/** The catalog's own projection of the region price list, fed by PriceChanged events. */
export interface SkuPriceProjection {
  /**
   * Stores the price unless a newer one is already there, and refreshes the lowest price of the product
   * holding the SKU. Returns the products whose price changed (none for a stale or unknown SKU).
   */
  apply(change: PriceChange): Promise<AffectedProduct[]>;
}

export interface CatalogRepos {
  products: ProductRepository;
  categories: CategoryRepository;
  prices: SkuPriceProjection;
}
