import { resolveText } from '../domain/localized-text.value-object.js';
import type { CachedBody } from './catalog.cache.js';
import type { CatalogDeps } from './catalog.deps.js';

/** The storefront's category tree, parents before children, names localized; served cache-aside. */
export class ListCategories {
  constructor(private readonly deps: Pick<CatalogDeps, 'readModel' | 'cache' | 'rules'>) {}

  execute(locale: string): Promise<CachedBody> {
    return this.deps.cache.categories(locale, async () =>
      (await this.deps.readModel.categories()).map((c) => ({
        slug: c.slug,
        name: resolveText(c.name, locale, this.deps.rules.defaultLocale),
        parent: c.parent,
      })),
    );
  }
}
