import type { TransactionHandle } from '../../platform/db/unit-of-work.js';
import type { Id } from '../../platform/ids.js';
import type { CatalogVariantInfo } from '../contract.js';
import type { LocalizedText } from '../domain/localized-text.value-object.js';
import type { Attributes } from '../domain/product.aggregate.js';

export interface ProductDetailRecord {
  id: Id;
  slug: string;
  name: LocalizedText;
  description: LocalizedText;
  /** category slug */
  category: string;
  attributes: Attributes;
  variants: { sku: string; options: Readonly<Record<string, string>>; price: number | null }[];
}

export interface CategoryRecord {
  slug: string;
  name: LocalizedText;
  parent: string | null;
}

export interface VariantRecord extends Omit<CatalogVariantInfo, 'productName'> {
  productName: LocalizedText;
}

/** Query-side reads of the catalog, shaped for the storefront and the facade (no aggregates). */
export interface CatalogReadModel {
  /** An active product with its variants and their prices from the projection; null otherwise. */
  activeProduct(ref: { id: Id } | { slug: string }): Promise<ProductDetailRecord | null>;
  /** Every category, parents before children. */
  categories(): Promise<CategoryRecord[]>;
  /** On the caller's transaction when `tx` is given (no second connection). */
  variants(skus: readonly string[], tx?: TransactionHandle): Promise<VariantRecord[]>;
  skuExists(sku: string, tx?: TransactionHandle): Promise<boolean>;
}
