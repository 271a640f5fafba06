import type { TransactionHandle } from '../../platform/db/unit-of-work.js';
import type { CatalogVariantInfo } from '../contract.js';
import { resolveText } from '../domain/localized-text.value-object.js';
import type { CatalogDeps } from './catalog.deps.js';

/**
 * For other contexts (the facade): the variants with these SKUs (exact match, duplicates asked once),
 * their product name in the region's default locale; unknown SKUs are left out. On the caller's
 * transaction when `tx` is given.
 */
export class FindVariants {
  constructor(private readonly deps: Pick<CatalogDeps, 'readModel' | 'rules'>) {}

  async execute(skus: readonly string[], tx?: TransactionHandle): Promise<CatalogVariantInfo[]> {
    if (skus.length === 0) return [];
    const { defaultLocale } = this.deps.rules;
    const rows = await this.deps.readModel.variants([...new Set(skus)], tx);
    return rows.map((r) => ({ ...r, productName: resolveText(r.productName, defaultLocale, defaultLocale) }));
  }
}
