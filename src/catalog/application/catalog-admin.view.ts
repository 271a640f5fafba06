import type { Category } from '../domain/category.aggregate.js';
import type { Product } from '../domain/product.aggregate.js';

/** A product as the staff use cases return it, with its category's slug. */
export interface ProductWithCategory {
  product: Product;
  categorySlug: string;
}

/** A category as the staff use cases return it, with its parent's slug (null for a root). */
export interface CategoryWithParent {
  category: Category;
  parentSlug: string | null;
}

/** The staff view of a product: every translation, status and tax class. */
export const adminProductView = ({ product: p, categorySlug }: ProductWithCategory) => ({
  id: p.id,
  slug: p.slug,
  name: { ...p.name },
  description: { ...p.description },
  category: categorySlug,
  attributes: { ...p.attributes },
  status: p.status,
  taxClass: p.taxClass,
  variants: p.variants.map((v) => ({ sku: v.sku, options: { ...v.options } })),
  createdAt: p.createdAt.toISOString(),
  updatedAt: p.updatedAt.toISOString(),
});

export const adminCategoryView = ({ category: c, parentSlug }: CategoryWithParent) => ({
  id: c.id,
  slug: c.slug,
  name: { ...c.name },
  parent: parentSlug,
});
