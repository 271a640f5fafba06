import type { Id } from '../../platform/ids.js';
import { ProductNotFoundError } from '../domain/catalog.errors.js';
import type { CatalogDeps } from './catalog.deps.js';
import type { ProductWithCategory } from './catalog-admin.view.js';

/** Any product, whatever its status (staff view); ProductNotFoundError for an unknown id. */
export class GetAdminProduct {
  constructor(private readonly deps: Pick<CatalogDeps, 'read'>) {}

  execute(id: Id): Promise<ProductWithCategory> {
    return this.deps.read.run(async ({ repos }) => {
      const product = await repos.products.findById(id);
      if (!product) throw new ProductNotFoundError();
      const category = await repos.categories.findById(product.categoryId);
      return { product, categorySlug: category?.slug ?? '' };
    });
  }
}
