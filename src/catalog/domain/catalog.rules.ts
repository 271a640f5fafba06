/**
 * The region facts the catalog rules depend on, as plain data (the domain knows no region presets):
 * the locales content may be written in (the first is the default and must always be present) and
 * the tax classes a product may carry (the keys of the region's tax rates).
 */
export interface CatalogRules {
  readonly locales: readonly string[];
  readonly defaultLocale: string;
  readonly taxClasses: readonly string[];
}

export const catalogRules = (locales: readonly string[], taxClasses: readonly string[]): CatalogRules => {
  const defaultLocale = locales[0];
  if (!defaultLocale) throw new Error('a region needs at least one locale');
  return { locales: [...locales], defaultLocale, taxClasses: [...taxClasses] };
};

/** A variant counts as in stock unless the inventory says none are left; unknown stock (null) counts as in stock. */
export const inStock = (available: number | null | undefined): boolean =>
  available === null || available === undefined || available > 0;
