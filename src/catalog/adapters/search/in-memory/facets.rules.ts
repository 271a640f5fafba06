import type { CategoryTree } from './category-tree.service.js';

export interface Facet {
  slug: string;
  count: number;
}

/**
 * The category facets of a listing from its counts per category number: categories the tree knows
 * with at least one product, largest first, then by slug.
 */
export const facetsOf = (counts: Int32Array, tree: CategoryTree): Facet[] => {
  const facets: Facet[] = [];
  counts.forEach((count, cat) => {
    const slug = tree.slugAt(cat);
    if (count > 0 && slug) facets.push({ slug, count });
  });
  facets.sort((a, b) => b.count - a.count || (a.slug < b.slug ? -1 : a.slug > b.slug ? 1 : 0));
  return facets;
};
