import type { SkuDirectory } from '../../application/sku-directory.port.js';

/** Default SkuDirectory: every well-formed SKU exists. Replaced by the catalog's facade when wired. */
export const acceptAllSkuDirectory: SkuDirectory = {
  exists: async () => true,
};
