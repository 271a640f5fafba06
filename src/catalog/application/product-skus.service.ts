import { SkuTakenError } from '../domain/catalog.errors.js';
import type { Product } from '../domain/product.aggregate.js';
import type { CatalogRepos } from './catalog.repositories.js';

/** SKUs are unique across the catalog (case-insensitively, archived products included): SkuTakenError otherwise. */
export const assertSkusFree = async (repos: CatalogRepos, product: Product): Promise<void> => {
  const taken = await repos.products.skusTaken(product.skus, product.id);
  if (taken.length > 0) throw new SkuTakenError(taken);
};
