/**
 * Which SKUs exist (the catalog's knowledge). A price can only be set for a SKU the directory knows.
 * The default adapter accepts every well-formed SKU; the catalog facade is plugged in by the app.
 */
export interface SkuDirectory {
  exists(sku: string): Promise<boolean>;
}
