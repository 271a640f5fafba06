import { isUuid } from '../../platform/ids.js';
import { money } from '../../platform/money.js';
import { ProductNotFoundError } from '../domain/catalog.errors.js';
import { inStock } from '../domain/catalog.rules.js';
import { resolveText } from '../domain/localized-text.value-object.js';
import type { CachedBody } from './catalog.cache.js';
import type { CatalogDeps } from './catalog.deps.js';
import type { ProductDetailRecord } from './catalog.read-model.js';

/**
 * The storefront's product detail: an active product by id or slug (case-insensitive), localized, with
 * its variants' prices and availability; ProductNotFoundError for anything else. Served cache-aside as
 * a serialised body with its ETag (see CatalogCache).
 */
export class GetProductDetail {
  constructor(
    private readonly deps: Pick<CatalogDeps, 'readModel' | 'stock' | 'cache' | 'currency' | 'rules'>,
  ) {}

  async execute(idOrSlug: string, locale: string): Promise<CachedBody> {
    const ref = idOrSlug.toLowerCase();
    const found = await this.deps.cache.product(ref, locale, async () => {
      const record = await this.deps.readModel.activeProduct(isUuid(ref) ? { id: ref } : { slug: ref });
      return record ? this.view(record, locale) : null;
    });
    if (!found) throw new ProductNotFoundError();
    return found;
  }

  private async view(record: ProductDetailRecord, locale: string) {
    const stock = await this.deps.stock.availableFor(record.variants.map((v) => v.sku));
    const { currency } = this.deps;
    const { defaultLocale } = this.deps.rules;
    return {
      id: record.id,
      slug: record.slug,
      name: resolveText(record.name, locale, defaultLocale),
      description: resolveText(record.description, locale, defaultLocale),
      category: record.category,
      attributes: record.attributes,
      variants: record.variants.map((v) => {
        const available = stock.get(v.sku) ?? null;
        return {
          sku: v.sku,
          options: v.options,
          price: v.price === null ? null : money(v.price, currency),
          inStock: inStock(available),
          available,
        };
      }),
    };
  }
}
