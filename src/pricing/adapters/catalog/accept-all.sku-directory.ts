import type { SkuDirectory } from '../../application/pricing.ports.js';

/** Default SkuDirectory: every well-formed SKU exists. Replaced by the catalog's facade when wired. */
export const acceptAllSkuDirectory: SkuDirectory = {
  exists: async () => true,
};
