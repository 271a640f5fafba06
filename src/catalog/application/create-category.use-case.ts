import type { FieldError } from '../../platform/errors.js';
import { newId } from '../../platform/ids.js';
import { fieldErrorsOf, InvalidCategoryError, UnknownCategoryError } from '../domain/catalog.errors.js';
import { Category } from '../domain/category.aggregate.js';
import type { LocalizedInput } from '../domain/localized-text.value-object.js';
import type { CatalogDeps } from './catalog.deps.js';
import type { CategoryWithParent } from './catalog-admin.view.js';

export interface CategoryInput {
  slug: string;
  name: LocalizedInput;
  /** slug of the parent category; absent or null for a root */
  parent?: string | null;
}

/**
 * Creates a category (staff). Every problem of the input is reported at once, an unknown parent among
 * them; the cached category trees are invalidated right after the commit.
 */
export class CreateCategory {
  constructor(private readonly deps: Pick<CatalogDeps, 'uow' | 'cache' | 'clock' | 'rules'>) {}

  execute(input: CategoryInput): Promise<CategoryWithParent> {
    return this.deps.uow.run(async ({ repos, afterCommit }) => {
      const parent = input.parent ? await repos.categories.findBySlug(input.parent) : null;
      const errors: FieldError[] = [];
      let category: Category | undefined;
      try {
        category = Category.create(
          {
            id: newId(),
            slug: input.slug,
            name: input.name,
            parentId: parent?.id ?? null,
            now: this.deps.clock.now(),
          },
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
}
