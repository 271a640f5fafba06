import type { TransactionHandle } from '../../platform/db/unit-of-work.js';
import type { CatalogFacade, CatalogVariantInfo } from '../contract.js';
import { resolveText } from '../domain/localized-text.value-object.js';
import type { CatalogReadModel } from './catalog-read.model.js';

/** The catalog facts other contexts may read (through contract.ts). */
export class CatalogFacadeService implements CatalogFacade {
  constructor(
    private readonly readModel: CatalogReadModel,
    private readonly defaultLocale: string,
  ) {}

  async findVariants(skus: readonly string[], tx?: TransactionHandle): Promise<CatalogVariantInfo[]> {
    if (skus.length === 0) return [];
    const rows = await this.readModel.variants([...new Set(skus)], tx);
    return rows.map((r) => ({
      ...r,
      productName: resolveText(r.productName, this.defaultLocale, this.defaultLocale),
    }));
  }

  skuExists(sku: string, tx?: TransactionHandle): Promise<boolean> {
    return this.readModel.skuExists(sku, tx);
  }
}
