import type { Id } from '../../platform/ids.js';
import { ProductNotFoundError, UnknownCategoryError } from '../domain/catalog.errors.js';
import type { Category } from '../domain/category.aggregate.js';
import type { LocalizedPatch } from '../domain/localized-text.value-object.js';
import type { Attributes, ProductStatus, Variant } from '../domain/product.aggregate.js';
import type { CatalogDeps } from './catalog.deps.js';
import type { ProductWithCategory } from './catalog-admin.view.js';
import { assertSkusFree } from './product-skus.service.js';

export interface ProductPatch {
  slug?: string;
  name?: LocalizedPatch;
  description?: LocalizedPatch;
  category?: string;
  attributes?: Attributes;
  status?: ProductStatus;
  taxClass?: string;
  variants?: readonly Variant[];
}

/**
 * Changes a product (staff): a partial update; a patch that changes nothing writes nothing (no event,
 * no invalidation). After the commit the search index catches up and the product's cached answers
 * (under its old and new slug) are invalidated, and the listings when it was or is active.
 */
export class UpdateProduct {
  constructor(private readonly deps: Pick<CatalogDeps, 'uow' | 'search' | 'cache' | 'clock' | 'rules'>) {}

  execute(id: Id, patch: ProductPatch): Promise<ProductWithCategory> {
    return this.deps.uow.run(async ({ repos, track, tx, afterCommit }) => {
      const product = await repos.products.findByIdForUpdate(id);
      if (!product) throw new ProductNotFoundError();
      const before = { slug: product.slug, active: product.isActive };
      let category: Category | null;
      if (patch.category !== undefined) {
        category = await repos.categories.findBySlug(patch.category);
        if (!category) throw new UnknownCategoryError('category', patch.category);
      } else {
        category = await repos.categories.findById(product.categoryId);
      }
      const changed = product.update(
        {
          slug: patch.slug,
          name: patch.name,
          description: patch.description,
          categoryId: category?.id,
          attributes: patch.attributes,
          status: patch.status,
          taxClass: patch.taxClass,
          variants: patch.variants,
        },
        this.deps.rules,
        this.deps.clock.now(),
      );
      if (changed) {
        if (patch.variants) await assertSkusFree(repos, product);
        await repos.products.update(track(product));
        await this.deps.search.index([product.id], tx);
        afterCommit(async () => {
          await this.deps.search.refresh?.();
          await this.deps.cache.productsChanged([{ id: product.id, slugs: [before.slug, product.slug] }], {
            listings: before.active || product.isActive,
          });
        });
      }
      return { product, categorySlug: category?.slug ?? '' };
    });
  }
}
