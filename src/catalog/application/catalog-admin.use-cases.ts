import type { FieldError } from '../../platform/errors.js';
import { type Id, newId } from '../../platform/ids.js';
import {
  CategoryNotFoundError,
  InvalidCategoryError,
  InvalidProductError,
  ProductNotFoundError,
  SkuTakenError,
  UnknownCategoryError,
} from '../domain/catalog.errors.js';
import { Category } from '../domain/category.aggregate.js';
import type { LocalizedInput, LocalizedPatch } from '../domain/localized-text.value-object.js';
import { type Attributes, Product, type ProductStatus, type Variant } from '../domain/product.aggregate.js';
import type { CatalogDeps } from './catalog.deps.js';
import type { CatalogRepos } from './catalog.repositories.js';

export interface CategoryInput {
  slug: string;
  name: LocalizedInput;
  /** slug of the parent category; absent or null for a root */
  parent?: string | null;
}

/** Name and place in the tree; a category's slug never changes (storefront URLs and filters use it). */
export interface CategoryChanges {
  name?: LocalizedPatch;
  /** slug of the new parent; null moves the category to the root */
  parent?: string | null;
}

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

export interface ProductWithCategory {
  product: Product;
  categorySlug: string;
}

export interface CategoryWithParent {
  category: Category;
  parentSlug: string | null;
}

/** Used while validating a new product whose category turned out not to exist, to report every error at once. */
const NO_CATEGORY = '00000000-0000-4000-8000-000000000000';

const fieldErrorsOf = (err: unknown): FieldError[] => {
  if (err instanceof InvalidProductError || err instanceof InvalidCategoryError) return err.errors ?? [];
  throw err;
};

/**
 * Staff use cases of the catalog. Each runs in one unit of work (rows, search document and outbox
 * events commit together); the storefront cache is invalidated right after the commit (`afterCommit`:
 * in a request, after the request's commit), before the caller gets the answer, so the next storefront
 * request of any instance sharing the cache sees it.
 */
export class CatalogAdmin {
  constructor(private readonly deps: CatalogDeps) {}

  async createCategory(input: CategoryInput): Promise<CategoryWithParent> {
    return this.deps.uow.run(async ({ repos, afterCommit }) => {
      const parent = input.parent ? await repos.categories.findBySlug(input.parent) : null;
      const errors: FieldError[] = [];
      let category: Category | undefined;
      try {
        category = Category.create(
          { id: newId(), slug: input.slug, name: input.name, parentId: parent?.id ?? null, now: this.now() },
          this.deps.rules,
        );
      } catch (err) {
        errors.push(...fieldErrorsOf(err));
      }
      if (input.parent && !parent) errors.push(...new UnknownCategoryError('parent', input.parent).errors!);
      if (errors.length > 0 || !category) throw new InvalidCategoryError(errors);
      await repos.categories.insert(category);
      afterCommit(() => this.deps.cache.categoriesChanged());
      return { category, parentSlug: parent?.slug ?? null };
    });
  }

  async changeCategory(slug: string, changes: CategoryChanges): Promise<CategoryWithParent> {
    return this.deps.uow.run(async ({ repos, tx, afterCommit }) => {
      if (changes.parent !== undefined) await repos.categories.lockTree();
      const category = await repos.categories.findBySlug(slug);
      if (!category) throw new CategoryNotFoundError();
      let parentSlug: string | null = null;
      if (changes.parent !== undefined) {
        const parent = changes.parent === null ? null : await repos.categories.findBySlug(changes.parent);
        if (changes.parent !== null && !parent) throw new UnknownCategoryError('parent', changes.parent);
        const ancestors = parent ? await repos.categories.ancestorIds(parent.id) : [];
        category.moveUnder(parent?.id ?? null, ancestors, this.now());
        parentSlug = parent?.slug ?? null;
      } else if (category.parentId) {
        parentSlug = (await repos.categories.findById(category.parentId))?.slug ?? null;
      }
      const renamed =
        changes.name !== undefined && category.rename(changes.name, this.deps.rules, this.now());
      await repos.categories.update(category);
      if (renamed) await this.deps.search.indexCategory(category.id, tx);
      afterCommit(async () => {
        await this.deps.search.refresh?.();
        await this.deps.cache.categoriesChanged();
      });
      return { category, parentSlug };
    });
  }

  async createProduct(input: ProductInput): Promise<ProductWithCategory> {
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
            now: this.now(),
          },
          this.deps.rules,
        );
      } catch (err) {
        errors.push(...fieldErrorsOf(err));
      }
      if (!category) errors.push(...new UnknownCategoryError('category', input.category).errors!);
      if (errors.length > 0 || !product || !category) throw new InvalidProductError(errors);
      await this.assertSkusFree(repos, product);
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

  async updateProduct(id: Id, patch: ProductPatch): Promise<ProductWithCategory> {
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
        this.now(),
      );
      if (changed) {
        if (patch.variants) await this.assertSkusFree(repos, product);
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

  /** Archives (idempotent: archiving an archived product changes nothing and succeeds). */
  async archiveProduct(id: Id): Promise<void> {
    await this.deps.uow.run(async ({ repos, track, tx, afterCommit }) => {
      const product = await repos.products.findByIdForUpdate(id);
      if (!product) throw new ProductNotFoundError();
      const wasActive = product.isActive;
      if (!product.archive(this.now())) return;
      await repos.products.update(track(product));
      await this.deps.search.index([product.id], tx);
      afterCommit(async () => {
        await this.deps.search.refresh?.();
        await this.deps.cache.productsChanged([{ id, slugs: [product.slug] }], { listings: wasActive });
      });
    });
  }

  /** Any product, whatever its status (staff view). */
  product(id: Id): Promise<ProductWithCategory> {
    return this.deps.read.run(async ({ repos }) => {
      const product = await repos.products.findById(id);
      if (!product) throw new ProductNotFoundError();
      const category = await repos.categories.findById(product.categoryId);
      return { product, categorySlug: category?.slug ?? '' };
    });
  }

  productCount(): Promise<number> {
    return this.deps.read.run(({ repos }) => repos.products.count());
  }

  private async assertSkusFree(repos: CatalogRepos, product: Product): Promise<void> {
    const taken = await repos.products.skusTaken(product.skus, product.id);
    if (taken.length > 0) throw new SkuTakenError(taken);
  }

  private now(): Date {
    return this.deps.clock.now();
  }
}
