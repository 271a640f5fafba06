import { AggregateRoot } from '../../platform/domain/aggregate-root.js';
import type { Id } from '../../platform/ids.js';
import { CategoryCycleError, FieldErrors, InvalidCategoryError } from './catalog.errors.js';
import type { CatalogRules } from './catalog.rules.js';
import {
  type LocalizedInput,
  type LocalizedPatch,
  type LocalizedText,
  localizedText,
  patchLocalizedText,
  sameText,
  type TextLimits,
} from './localized-text.value-object.js';
import { checkSlug } from './slug.value-object.js';

export const CATEGORY_NAME_LIMITS: TextLimits = { maxLength: 100, allowEmpty: false, singleLine: true };

export interface CategoryProps {
  id: Id;
  slug: string;
  name: LocalizedText;
  parentId: Id | null;
  createdAt: Date;
  updatedAt: Date;
}

/**
 * A node of the category tree. The tree never has a cycle: a category can only be placed under a
 * parent whose ancestors (given by the caller, root last) do not include the category itself.
 */
export class Category extends AggregateRoot {
  private constructor(private props: CategoryProps) {
    super();
  }

  static create(
    input: { id: Id; slug: string; name: LocalizedInput; parentId: Id | null; now: Date },
    rules: CatalogRules,
  ): Category {
    const errors = new FieldErrors();
    const props: CategoryProps = {
      id: input.id,
      slug: checkSlug(input.slug, 'slug', errors),
      name: localizedText(input.name, rules, 'name', CATEGORY_NAME_LIMITS, errors),
      parentId: input.parentId,
      createdAt: input.now,
      updatedAt: input.now,
    };
    if (input.parentId === input.id) errors.add('parent', 'a category cannot be its own parent');
    if (!errors.isEmpty) throw new InvalidCategoryError(errors.all);
    return new Category(props);
  }

  static restore(props: CategoryProps): Category {
    return new Category({ ...props });
  }

  /** Renames (merge per locale, like products); false when nothing changes. Slugs never change: URLs and filters use them. */
  rename(name: LocalizedPatch, rules: CatalogRules, now: Date): boolean {
    const errors = new FieldErrors();
    const next = patchLocalizedText(this.props.name, name, rules, 'name', CATEGORY_NAME_LIMITS, errors);
    if (!errors.isEmpty) throw new InvalidCategoryError(errors.all);
    if (sameText(next, this.props.name)) return false;
    this.props = { ...this.props, name: next, updatedAt: now };
    return true;
  }

  /**
   * Moves the category under `parentId` (null: to the root). `ancestorsOfParent` are the ids from the new
   * parent's parent up to the root. False when the parent does not change.
   */
  moveUnder(parentId: Id | null, ancestorsOfParent: readonly Id[], now: Date): boolean {
    if (parentId === this.props.parentId) return false;
    if (parentId !== null && (parentId === this.props.id || ancestorsOfParent.includes(this.props.id))) {
      throw new CategoryCycleError();
    }
    this.props = { ...this.props, parentId, updatedAt: now };
    return true;
  }

  get id(): Id {
    return this.props.id;
  }
  get slug(): string {
    return this.props.slug;
  }
  get name(): LocalizedText {
    return this.props.name;
  }
  get parentId(): Id | null {
    return this.props.parentId;
  }
  get createdAt(): Date {
    return this.props.createdAt;
  }
  get updatedAt(): Date {
    return this.props.updatedAt;
  }

  snapshot(): CategoryProps {
    return { ...this.props };
  }
}
