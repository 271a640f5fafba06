/**
 * The catalog context's public surface: its integration events (versioned zod schemas, ids and
 * values only) and the facade other contexts call (cart, orders).
 */
import { z } from 'zod';
import type { TransactionHandle } from '../platform/db/unit-of-work.js';
import { eventType } from '../platform/messaging/integration-event.js';

export const CATALOG_CONTEXT = 'catalog';

const productEventV1 = z.object({
  productId: z.uuid(),
  slug: z.string(),
  skus: z.array(z.string()),
  status: z.enum(['draft', 'active', 'archived']),
});
export const productCreatedV1 = productEventV1;
export const productUpdatedV1 = productEventV1;
export const productArchivedV1 = productEventV1;
export type ProductEventV1 = z.infer<typeof productEventV1>;

export const CatalogEventTypes = {
  ProductCreated: eventType(CATALOG_CONTEXT, 'ProductCreated'),
  ProductUpdated: eventType(CATALOG_CONTEXT, 'ProductUpdated'),
  ProductArchived: eventType(CATALOG_CONTEXT, 'ProductArchived'),
} as const;

/** What other contexts (cart, orders, pricing) may know about a variant. */
export interface CatalogVariantInfo {
  sku: string;
  productId: string;
  /** the product name in the region's default locale */
  productName: string;
  slug: string;
  status: 'draft' | 'active' | 'archived';
  taxClass: string;
}

/**
 * Catalog facts other contexts may ask for, by SKU. A caller inside a transaction passes its `tx`: the
 * read runs on that connection instead of asking the pool for another (connection-guard.ts).
 */
export interface CatalogFacade {
  /** The variants with these SKUs (exact match), in no particular order; unknown SKUs are left out. */
  findVariants(skus: readonly string[], tx?: TransactionHandle): Promise<CatalogVariantInfo[]>;
  /** true when a variant with this SKU exists, whatever its product's status. */
  skuExists(sku: string, tx?: TransactionHandle): Promise<boolean>;
}
