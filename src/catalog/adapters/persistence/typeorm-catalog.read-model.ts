import type { DataSource } from 'typeorm';
import { executorFor } from '../../../platform/db/typeorm-unit-of-work.js';
import type { TransactionHandle } from '../../../platform/db/unit-of-work.js';
import type { Id } from '../../../platform/ids.js';
import type {
  CatalogReadModel,
  CategoryRecord,
  ProductDetailRecord,
  VariantRecord,
} from '../../application/catalog.read-model.js';

/** Storefront and facade reads: one statement each, no aggregates, straight into the view records. */
export class TypeOrmCatalogReadModel implements CatalogReadModel {
  constructor(private readonly ds: DataSource) {}

  async activeProduct(ref: { id: Id } | { slug: string }): Promise<ProductDetailRecord | null> {
    const byId = 'id' in ref;
    const [row]: ProductDetailRecord[] = await this.ds.query(
      `SELECT p.id, p.slug, p.name, p.description, p.attributes, c.slug AS category,
              coalesce((SELECT json_agg(json_build_object('sku', v.sku, 'options', v.options, 'price', sp.amount)
                                        ORDER BY v.position)
                          FROM catalog_variants v
                          LEFT JOIN catalog_sku_prices sp ON sp.sku = v.sku
                         WHERE v.product_id = p.id), '[]'::json) AS variants
         FROM catalog_products p
         JOIN catalog_categories c ON c.id = p.category_id
        WHERE ${byId ? 'p.id = $1::uuid' : 'p.slug = $1'} AND p.status = 'active'`,
      [byId ? ref.id : ref.slug],
    );
    return row ?? null;
  }

  categories(): Promise<CategoryRecord[]> {
    // depth first, parents before their children, siblings by slug
    return this.ds.query(
      `WITH RECURSIVE tree AS (
         SELECT id, slug, name, parent_id, ARRAY[slug] AS path FROM catalog_categories WHERE parent_id IS NULL
         UNION ALL
         SELECT c.id, c.slug, c.name, c.parent_id, t.path || c.slug
           FROM catalog_categories c JOIN tree t ON c.parent_id = t.id
       )
       SELECT t.slug, t.name, parent.slug AS parent
         FROM tree t LEFT JOIN catalog_categories parent ON parent.id = t.parent_id
        ORDER BY t.path`,
    );
  }

  variants(skus: readonly string[], tx?: TransactionHandle): Promise<VariantRecord[]> {
    return executorFor(this.ds, tx).query(
      `SELECT v.sku, p.id AS "productId", p.name AS "productName", p.slug, p.status, p.tax_class AS "taxClass"
         FROM catalog_variants v JOIN catalog_products p ON p.id = v.product_id
        WHERE v.sku = ANY($1::text[])`,
      [skus],
    );
  }

  async skuExists(sku: string, tx?: TransactionHandle): Promise<boolean> {
    const rows: unknown[] = await executorFor(this.ds, tx).query(
      'SELECT 1 FROM catalog_variants WHERE sku = $1',
      [sku],
    );
    return rows.length > 0;
  }
}
