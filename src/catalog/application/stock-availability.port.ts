/**
 * Sellable quantity per SKU in this region, for browsing (eventual; never used to reserve). The
 * default adapter knows nothing (null for every SKU); the inventory context replaces it with one that
 * reads through its facade.
 */
export interface StockAvailability {
  /** quantity per SKU; null = unknown (no inventory information) */
  availableFor(skus: readonly string[]): Promise<Map<string, number | null>>;
}
