/**
 * Which SKUs exist (the catalog's knowledge): stock is only kept for SKUs the catalog knows, whatever
 * their product's status. The default adapter accepts every well-formed SKU; the app plugs in the
 * catalog's facade.
 */
export interface SkuDirectory {
  exists(sku: string): Promise<boolean>;
}
