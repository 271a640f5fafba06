import { AppError } from '../platform/errors.js';
import type { Logger } from '../platform/logging/logger.js';
import { DEMO_CATEGORIES, DEMO_PRODUCTS } from './demo-catalog.data.js';

/** What the seeder needs of the catalog and pricing modules (their `admin` surfaces). */
export interface DemoSeedTargets {
  region: string;
  catalog: {
    createCategory(input: { slug: string; name: Record<string, string>; parent?: string }): Promise<unknown>;
    createProduct(input: {
      slug: string;
      name: Record<string, string>;
      description: Record<string, string>;
      category: string;
      attributes: Record<string, string | number | boolean>;
      status: 'active';
      taxClass: string;
      variants: { sku: string; options: Record<string, string> }[];
    }): Promise<unknown>;
  };
  pricing: { setPrice(sku: string, amount: number): Promise<unknown> };
  /** stock per warehouse code of the region's preset; only for products this run created */
  inventory?: {
    warehouses: readonly string[];
    adjust(sku: string, warehouseCode: string, delta: number, reason: string): Promise<unknown>;
  };
  logger: Logger;
}

/**
 * Deterministic demo stock: most SKUs in both warehouses, some in one only, a few sold out, so the
 * storefront shows every state.
 */
export const demoStock = (skuIndex: number, warehouses: readonly string[]): [string, number][] => {
  if (skuIndex % 17 === 16) return []; // sold out
  const [first, second] = warehouses;
  const out: [string, number][] = [];
  if (first) out.push([first, 5 + ((skuIndex * 7) % 40)]);
  if (second && skuIndex % 3 !== 0) out.push([second, 3 + ((skuIndex * 11) % 25)]);
  return out;
};

const alreadyThere = (err: unknown): boolean => err instanceof AppError && err.code === 'CONFLICT';

/**
 * Loads the demo shop: categories, products and this region's prices. Idempotent — what exists
 * already is left as it is (a conflict means "already seeded"), so it can run at every start.
 */
export const seedDemoCatalog = async (
  t: DemoSeedTargets,
): Promise<{ categories: number; products: number; prices: number }> => {
  let categories = 0;
  let products = 0;
  let prices = 0;
  let stocked = 0;
  let skuIndex = 0;
  for (const category of DEMO_CATEGORIES) {
    try {
      await t.catalog.createCategory(category);
      categories++;
    } catch (err) {
      if (!alreadyThere(err)) throw err;
    }
  }
  for (const product of DEMO_PRODUCTS) {
    let created = false;
    try {
      await t.catalog.createProduct({
        slug: product.slug,
        name: product.name,
        description: product.description,
        category: product.category,
        attributes: product.attributes,
        status: 'active',
        taxClass: product.taxClass,
        variants: product.variants,
      });
      products++;
      created = true;
    } catch (err) {
      if (!alreadyThere(err)) throw err;
    }
    if (created && t.inventory) {
      for (const variant of product.variants) {
        for (const [warehouse, quantity] of demoStock(
          skuIndex + product.variants.indexOf(variant),
          t.inventory.warehouses,
        )) {
          await t.inventory.adjust(variant.sku, warehouse, quantity, 'demo stock');
          stocked++;
        }
      }
    }
    skuIndex += product.variants.length;
    const amount = product.prices[t.region];
    if (amount === undefined) continue;
    for (const variant of product.variants) {
      await t.pricing.setPrice(variant.sku, amount);
      prices++;
    }
  }
  t.logger.info({ categories, products, prices, stocked }, 'demo catalog seeded');
  return { categories, products, prices };
};
