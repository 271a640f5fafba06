import type { CategoryWithParent, ProductWithCategory } from '../../application/catalog-admin.use-cases.js';

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
