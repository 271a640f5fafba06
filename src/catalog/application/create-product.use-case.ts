import type { FieldError } from '../../platform/errors.js';
import { newId } from '../../platform/ids.js';
import { fieldErrorsOf, InvalidProductError, UnknownCategoryError } from '../domain/catalog.errors.js';
import type { LocalizedInput } from '../domain/localized-text.value-object.js';
import { type Attributes, Product, type Variant } from '../domain/product.aggregate.js';
import type { CatalogDeps } from './catalog.deps.js';
import type { ProductWithCategory } from './catalog-admin.view.js';
import { assertSkusFree } from './product-skus.service.js';

export interface ProductInput {
  slug: string;
  name: LocalizedInput;
  description?: LocalizedInput;
  /** category slug */
  category: string;
  attributes?: Attributes;
  status?: 'draft' | 'active';
  taxClass?: string;
  variants: readonly Variant[];
}

/** Used while validating a new product whose category turned out not to exist, to report every error at once. */
const NO_CATEGORY = '00000000-0000-4000-8000-000000000000';

/**
 * Creates a product (staff). Row, search document and outbox event (ProductCreated) commit together;
 * after the commit the search index catches up and, for an active product, cached listings are
 * invalidated (nothing else of a new product can be cached: "not found" is not cached).
 */
export class CreateProduct {
  constructor(private readonly deps: Pick<CatalogDeps, 'uow' | 'search' | 'cache' | 'clock' | 'rules'>) {}

  execute(input: ProductInput): Promise<ProductWithCategory> {
    return this.deps.uow.run(async ({ repos, track, tx, afterCommit }) => {
      const category = await repos.categories.findBySlug(input.category);
      const errors: FieldError[] = [];
      let product: Product | undefined;
      try {
        product = Product.create(
          {
            id: newId(),
            slug: input.slug,
            name: input.name,
            description: input.description,
            categoryId: category?.id ?? NO_CATEGORY,
            attributes: input.attributes,
            status: input.status,
            taxClass: input.taxClass,
            variants: input.variants,
            now: this.deps.clock.now(),
          },
          this.deps.rules,
        );
      } catch (err) {
        errors.push(...fieldErrorsOf(err));
      }
      if (!category) errors.push(...new UnknownCategoryError('category', input.category).errors!);
      if (errors.length > 0 || !product || !category) throw new InvalidProductError(errors);
      await assertSkusFree(repos, product);
      await repos.products.insert(track(product));
      await this.deps.search.index([product.id], tx);
      const created = product;
      afterCommit(async () => {
        await this.deps.search.refresh?.();
        // nothing of a new product can be cached yet ("not found" is not cached): only listings change
        if (created.isActive) await this.deps.cache.listingsChanged();
      });
      return { product, categorySlug: category.slug };
    });
  }
}
