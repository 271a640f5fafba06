import type { TransactionHandle } from '../../platform/db/unit-of-work.js';
import type { CatalogDeps } from './catalog.deps.js';

/** For other contexts (the facade): whether a variant with this SKU exists, whatever its product's status. */
export class SkuExists {
  constructor(private readonly deps: Pick<CatalogDeps, 'readModel'>) {}

  execute(sku: string, tx?: TransactionHandle): Promise<boolean> {
    return this.deps.readModel.skuExists(sku, tx);
  }
}
