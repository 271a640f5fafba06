import type { StockAvailability } from '../../application/stock-availability.port.js';

/**
 * The default StockAvailability until the inventory context exists: it knows nothing, so every SKU
 * reports `available: null` and counts as in stock. The inventory issue replaces it (through
 * `catalogContext.create(platform, { stock })` in src/contexts.ts) with an adapter over the inventory facade.
 */
export class UnknownStockAvailability implements StockAvailability {
  async availableFor(skus: readonly string[]): Promise<Map<string, number | null>> {
    return new Map(skus.map((sku) => [sku, null]));
  }
}
