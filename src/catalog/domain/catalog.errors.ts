import {
  ConflictError,
  type FieldError,
  IllegalStateTransitionError,
  NotFoundError,
  ValidationError,
} from '../../platform/errors.js';

export class InvalidProductError extends ValidationError {
  constructor(errors: FieldError[]) {
    super('The product is invalid; see errors', errors);
  }
}

export class InvalidCategoryError extends ValidationError {
  constructor(errors: FieldError[]) {
    super('The category is invalid; see errors', errors);
  }
}

export class ProductNotFoundError extends NotFoundError {
  constructor() {
    super('Product');
  }
}

export class CategoryNotFoundError extends NotFoundError {
  constructor() {
    super('Category');
  }
}

/** A request body names a category that does not exist: a field error (400), not a missing resource. */
export class UnknownCategoryError extends ValidationError {
  constructor(path: string, slug: string) {
    super('The request refers to an unknown category', [{ path, message: `no category "${slug}"` }]);
  }
}

export class ProductSlugTakenError extends ConflictError {
  constructor(slug: string) {
    super(`A product with the slug "${slug}" already exists`);
  }
}

export class CategorySlugTakenError extends ConflictError {
  constructor(slug: string) {
    super(`A category with the slug "${slug}" already exists`);
  }
}

/** Some SKUs already belong to another product (SKUs are unique across the catalog, archived products included). */
export class SkuTakenError extends ConflictError {
  constructor(readonly skus: string[]) {
    super(`SKU already in use by another product: ${skus.join(', ')}`);
  }
}

/** Archived is final: an archived product keeps its data (orders refer to its SKUs) but cannot change. */
export class ProductArchivedError extends ConflictError {
  constructor() {
    super('An archived product cannot be changed');
  }
}

export class IllegalProductTransitionError extends IllegalStateTransitionError {
  constructor(from: string, to: string) {
    super('Product', from, to);
  }
}

export class CategoryCycleError extends ConflictError {
  constructor() {
    super('A category cannot be moved under itself or one of its descendants');
  }
}

/** Collects every problem of an input before failing, so that a caller hears about all of them at once. */
export class FieldErrors {
  private readonly list: FieldError[] = [];

  add(path: string, message: string): void {
    this.list.push({ path, message });
  }

  get isEmpty(): boolean {
    return this.list.length === 0;
  }

  get all(): FieldError[] {
    return [...this.list];
  }
}

/** The field errors of an invalid product or category, to report them with others; any other error is rethrown. */
export const fieldErrorsOf = (err: unknown): FieldError[] => {
  if (err instanceof InvalidProductError || err instanceof InvalidCategoryError) return err.errors ?? [];
  throw err;
};
