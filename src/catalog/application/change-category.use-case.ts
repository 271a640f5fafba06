import { CategoryNotFoundError, UnknownCategoryError } from '../domain/catalog.errors.js';
import type { LocalizedPatch } from '../domain/localized-text.value-object.js';
import type { CatalogDeps } from './catalog.deps.js';
import type { CategoryWithParent } from './catalog-admin.view.js';

/** Name and place in the tree; a category's slug never changes (storefront URLs and filters use it). */
export interface CategoryChanges {
  name?: LocalizedPatch;
  /** slug of the new parent; null moves the category to the root */
  parent?: string | null;
}

/**
 * Renames or moves a category (staff). A move locks the tree for the transaction (no concurrent
 * cycles); a rename reindexes the category's products; the search index catches up and the cached
 * trees are invalidated right after the commit.
 */
export class ChangeCategory {
  constructor(private readonly deps: Pick<CatalogDeps, 'uow' | 'search' | 'cache' | 'clock' | 'rules'>) {}

  execute(slug: string, changes: CategoryChanges): Promise<CategoryWithParent> {
    return this.deps.uow.run(async ({ repos, tx, afterCommit }) => {
      if (changes.parent !== undefined) await repos.categories.lockTree();
      const category = await repos.categories.findBySlug(slug);
      if (!category) throw new CategoryNotFoundError();
      let parentSlug: string | null = null;
      if (changes.parent !== undefined) {
        const parent = changes.parent === null ? null : await repos.categories.findBySlug(changes.parent);
        if (changes.parent !== null && !parent) throw new UnknownCategoryError('parent', changes.parent);
        const ancestors = parent ? await repos.categories.ancestorIds(parent.id) : [];
        category.moveUnder(parent?.id ?? null, ancestors, this.deps.clock.now());
        parentSlug = parent?.slug ?? null;
      } else if (category.parentId) {
        parentSlug = (await repos.categories.findById(category.parentId))?.slug ?? null;
      }
      const renamed =
        changes.name !== undefined && category.rename(changes.name, this.deps.rules, this.deps.clock.now());
      await repos.categories.update(category);
      if (renamed) await this.deps.search.indexCategory(category.id, tx);
      afterCommit(async () => {
        await this.deps.search.refresh?.();
        await this.deps.cache.categoriesChanged();
      });
      return { category, parentSlug };
    });
  }
}
