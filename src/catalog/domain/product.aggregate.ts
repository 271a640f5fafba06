import { AggregateRoot, type DomainEvent } from '../../platform/domain/aggregate-root.js';
import { stateMachine } from '../../platform/domain/state-machine.js';
import type { Id } from '../../platform/ids.js';
import {
  FieldErrors,
  IllegalProductTransitionError,
  InvalidProductError,
  ProductArchivedError,
} from './catalog.errors.js';
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

export const PRODUCT_STATUSES = ['draft', 'active', 'archived'] as const;
export type ProductStatus = (typeof PRODUCT_STATUSES)[number];

/** The product life cycle as data: archived is final. Staying in the same status is not a transition. */
export const productStates = stateMachine<ProductStatus>(
  'Product',
  { draft: ['active', 'archived'], active: ['draft', 'archived'], archived: [] },
  (from, to) => new IllegalProductTransitionError(from, to),
);

export const SKU_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;
/** Attribute names double as query parameters (`attr.<name>=`), so they are kept URL-safe. */
export const ATTRIBUTE_NAME_PATTERN = /^[A-Za-z0-9_-]{1,64}$/;
export const OPTION_NAME_PATTERN = /^[A-Za-z0-9_-]{1,64}$/;
export const DEFAULT_TAX_CLASS = 'standard';
export const LIMITS = {
  name: { maxLength: 200, allowEmpty: false, singleLine: true } satisfies TextLimits,
  description: { maxLength: 10_000, allowEmpty: true, singleLine: false } satisfies TextLimits,
  attributes: 50,
  attributeText: 200,
  variants: 100,
  options: 10,
  optionValue: 100,
} as const;

export type AttributeValue = string | number | boolean;
export type Attributes = Readonly<Record<string, AttributeValue>>;

export interface Variant {
  readonly sku: string;
  readonly options: Readonly<Record<string, string>>;
}

export interface ProductProps {
  id: Id;
  slug: string;
  name: LocalizedText;
  description: LocalizedText;
  categoryId: Id;
  attributes: Attributes;
  status: ProductStatus;
  taxClass: string;
  variants: readonly Variant[];
  createdAt: Date;
  updatedAt: Date;
  version: number;
}

export interface NewProduct {
  id: Id;
  slug: string;
  name: LocalizedInput;
  description?: LocalizedInput;
  categoryId: Id;
  attributes?: Attributes;
  status?: 'draft' | 'active';
  taxClass?: string;
  variants: readonly Variant[];
  now: Date;
}

/** A partial update; `variants` replaces the whole list, `attributes` the whole object. */
export interface ProductChanges {
  slug?: string;
  name?: LocalizedPatch;
  description?: LocalizedPatch;
  categoryId?: Id;
  attributes?: Attributes;
  status?: ProductStatus;
  taxClass?: string;
  variants?: readonly Variant[];
}

interface ProductEventBase extends DomainEvent {
  readonly slug: string;
  readonly skus: string[];
  readonly status: ProductStatus;
}
export interface ProductCreated extends ProductEventBase {
  readonly name: 'ProductCreated';
}
export interface ProductUpdated extends ProductEventBase {
  readonly name: 'ProductUpdated';
}
export interface ProductArchived extends ProductEventBase {
  readonly name: 'ProductArchived';
}
export type ProductEvent = ProductCreated | ProductUpdated | ProductArchived;

const checkAttributes = (attributes: Attributes, errors: FieldErrors): Attributes => {
  const entries = Object.entries(attributes);
  if (entries.length > LIMITS.attributes) {
    errors.add('attributes', `must have at most ${LIMITS.attributes} entries`);
  }
  for (const [key, value] of entries) {
    const path = `attributes.${key}`;
    if (!ATTRIBUTE_NAME_PATTERN.test(key)) errors.add(path, 'name must be 1-64 of A-Z, a-z, 0-9, _ and -');
    if (typeof value === 'string') {
      if ([...value].length > LIMITS.attributeText)
        errors.add(path, `must be at most ${LIMITS.attributeText} characters`);
    } else if (typeof value === 'number') {
      if (!Number.isFinite(value)) errors.add(path, 'must be a finite number');
    } else if (typeof value !== 'boolean') {
      errors.add(path, 'must be a string, a number or a boolean');
    }
  }
  return { ...attributes };
};

const optionsKey = (options: Readonly<Record<string, string>>): string =>
  JSON.stringify(Object.entries(options).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));

const checkVariants = (variants: readonly Variant[], errors: FieldErrors): Variant[] => {
  if (variants.length === 0) errors.add('variants', 'a product needs at least one variant');
  if (variants.length > LIMITS.variants) errors.add('variants', `at most ${LIMITS.variants} variants`);
  const skus = new Map<string, number>();
  const combos = new Map<string, number>();
  variants.forEach((variant, i) => {
    const path = `variants.${i}`;
    if (!SKU_PATTERN.test(variant.sku)) {
      errors.add(
        `${path}.sku`,
        'must be 1-64 of A-Z, a-z, 0-9, ".", "_" and "-", starting with a letter or digit',
      );
    }
    const folded = variant.sku.toLowerCase();
    const first = skus.get(folded);
    if (first !== undefined) errors.add(`${path}.sku`, `repeats the SKU of variants.${first}`);
    else skus.set(folded, i);
    const options = Object.entries(variant.options);
    if (options.length > LIMITS.options) errors.add(`${path}.options`, `at most ${LIMITS.options} options`);
    for (const [name, value] of options) {
      if (!OPTION_NAME_PATTERN.test(name)) {
        errors.add(`${path}.options.${name}`, 'name must be 1-64 of A-Z, a-z, 0-9, _ and -');
      }
      if (typeof value !== 'string' || value.trim().length === 0 || [...value].length > LIMITS.optionValue) {
        errors.add(`${path}.options.${name}`, `must be 1-${LIMITS.optionValue} characters`);
      }
    }
    const combo = optionsKey(variant.options);
    const same = combos.get(combo);
    if (same !== undefined) errors.add(`${path}.options`, `the same options as variants.${same}`);
    else combos.set(combo, i);
  });
  return variants.map((v) => ({
    sku: v.sku,
    options: Object.fromEntries(Object.entries(v.options).map(([k, val]) => [k, val.trim()])),
  }));
};

const checkTaxClass = (taxClass: string, rules: CatalogRules, errors: FieldErrors): string => {
  if (!rules.taxClasses.includes(taxClass)) {
    errors.add('taxClass', `must be one of this region's tax classes (${rules.taxClasses.join(', ')})`);
  }
  return taxClass;
};

const sameJson = (a: unknown, b: unknown): boolean => JSON.stringify(a) === JSON.stringify(b);

/**
 * A sellable product: localized name and description, a category, free-form attributes, a tax class
 * and one or more variants (one SKU each, told apart by their option values). Its status moves along
 * productStates; archived is final. Records ProductCreated, ProductUpdated and ProductArchived.
 */
export class Product extends AggregateRoot {
  private constructor(private props: ProductProps) {
    super();
  }

  static create(input: NewProduct, rules: CatalogRules): Product {
    const errors = new FieldErrors();
    const props: ProductProps = {
      id: input.id,
      slug: checkSlug(input.slug, 'slug', errors),
      name: localizedText(input.name, rules, 'name', LIMITS.name, errors),
      description: localizedText(input.description ?? '', rules, 'description', LIMITS.description, errors),
      categoryId: input.categoryId,
      attributes: checkAttributes(input.attributes ?? {}, errors),
      status: input.status ?? 'draft',
      taxClass: checkTaxClass(input.taxClass ?? DEFAULT_TAX_CLASS, rules, errors),
      variants: checkVariants(input.variants, errors),
      createdAt: input.now,
      updatedAt: input.now,
      version: 1,
    };
    if (props.status !== 'draft' && props.status !== 'active') {
      errors.add('status', 'a new product is draft or active');
    }
    if (!errors.isEmpty) throw new InvalidProductError(errors.all);
    const product = new Product(props);
    product.recordChange('ProductCreated', input.now);
    return product;
  }

  static restore(props: ProductProps): Product {
    return new Product({ ...props, variants: props.variants.map((v) => ({ ...v })) });
  }

  /**
   * Applies a partial update. Returns false (and records nothing) when nothing actually changes.
   * Moving to `archived` records ProductArchived instead of ProductUpdated.
   */
  update(changes: ProductChanges, rules: CatalogRules, now: Date): boolean {
    const current = this.props;
    if (current.status === 'archived') {
      if (changes.status !== undefined && changes.status !== 'archived') {
        throw new IllegalProductTransitionError('archived', changes.status);
      }
      if (Object.values({ ...changes, status: undefined }).some((v) => v !== undefined)) {
        throw new ProductArchivedError();
      }
      return false;
    }
    const errors = new FieldErrors();
    const next: ProductProps = { ...current };
    if (changes.slug !== undefined) next.slug = checkSlug(changes.slug, 'slug', errors);
    if (changes.name !== undefined) {
      next.name = patchLocalizedText(current.name, changes.name, rules, 'name', LIMITS.name, errors);
    }
    if (changes.description !== undefined) {
      next.description = patchLocalizedText(
        current.description,
        changes.description,
        rules,
        'description',
        LIMITS.description,
        errors,
      );
    }
    if (changes.categoryId !== undefined) next.categoryId = changes.categoryId;
    if (changes.attributes !== undefined) next.attributes = checkAttributes(changes.attributes, errors);
    if (changes.taxClass !== undefined) next.taxClass = checkTaxClass(changes.taxClass, rules, errors);
    if (changes.variants !== undefined) next.variants = checkVariants(changes.variants, errors);
    if (!errors.isEmpty) throw new InvalidProductError(errors.all);
    if (changes.status !== undefined && changes.status !== current.status) {
      next.status = productStates.transition(current.status, changes.status);
    }
    const changed =
      next.slug !== current.slug ||
      !sameText(next.name, current.name) ||
      !sameText(next.description, current.description) ||
      next.categoryId !== current.categoryId ||
      !sameJson(next.attributes, current.attributes) ||
      next.taxClass !== current.taxClass ||
      next.status !== current.status ||
      !sameJson(next.variants, current.variants);
    if (!changed) return false;
    this.props = { ...next, updatedAt: now, version: current.version + 1 };
    this.recordChange(next.status === 'archived' ? 'ProductArchived' : 'ProductUpdated', now);
    return true;
  }

  /** Archives the product; false when it already was (archiving is idempotent). */
  archive(now: Date): boolean {
    if (this.props.status === 'archived') return false;
    this.props = { ...this.props, status: 'archived', updatedAt: now, version: this.props.version + 1 };
    this.recordChange('ProductArchived', now);
    return true;
  }

  private recordChange(name: ProductEvent['name'], now: Date): void {
    this.record({
      name,
      aggregateId: this.props.id,
      occurredAt: now,
      slug: this.props.slug,
      skus: this.skus,
      status: this.props.status,
    } as ProductEvent);
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
  get description(): LocalizedText {
    return this.props.description;
  }
  get categoryId(): Id {
    return this.props.categoryId;
  }
  get attributes(): Attributes {
    return this.props.attributes;
  }
  get status(): ProductStatus {
    return this.props.status;
  }
  get taxClass(): string {
    return this.props.taxClass;
  }
  get variants(): readonly Variant[] {
    return this.props.variants;
  }
  get skus(): string[] {
    return this.props.variants.map((v) => v.sku);
  }
  get isActive(): boolean {
    return this.props.status === 'active';
  }
  get createdAt(): Date {
    return this.props.createdAt;
  }
  get updatedAt(): Date {
    return this.props.updatedAt;
  }
  get version(): number {
    return this.props.version;
  }

  snapshot(): ProductProps {
    return { ...this.props, variants: this.props.variants.map((v) => ({ ...v, options: { ...v.options } })) };
  }
}
