import type { EntityManager } from 'typeorm';
import type { Id } from '../../../platform/ids.js';
import type {
  AffectedProduct,
  CatalogRepos,
  CategoryRepository,
  PriceChange,
  ProductRepository,
  SkuPriceProjection,
} from '../../application/catalog.repositories.js';
import { CategorySlugTakenError, ProductSlugTakenError, SkuTakenError } from '../../domain/catalog.errors.js';
import { Category } from '../../domain/category.aggregate.js';
import { Product, type ProductStatus, type Variant } from '../../domain/product.aggregate.js';
import { type CategoryRow, CategorySchema } from './catalog.entity-schemas.js';

interface ProductQueryRow {
  id: string;
  slug: string;
  name: Record<string, string>;
  description: Record<string, string>;
  category_id: string;
  attributes: Record<string, string | number | boolean>;
  status: ProductStatus;
  tax_class: string;
  created_at: Date;
  updated_at: Date;
  version: number;
  variants: Variant[];
}

const PRODUCT_SELECT = `
  SELECT p.id, p.slug, p.name, p.description, p.category_id, p.attributes, p.status, p.tax_class,
         p.created_at, p.updated_at, p.version,
         coalesce((SELECT json_agg(json_build_object('sku', v.sku, 'options', v.options) ORDER BY v.position)
                     FROM catalog_variants v WHERE v.product_id = p.id), '[]'::json) AS variants
    FROM catalog_products p
   WHERE p.id = $1`;

/** Recomputes the denormalised lowest price of products from their variants' projected prices. */
const REFRESH_PRICE = `
  UPDATE catalog_products p
     SET price_amount = (SELECT min(sp.amount) FROM catalog_variants v
                           JOIN catalog_sku_prices sp ON sp.sku = v.sku
                          WHERE v.product_id = p.id)
   WHERE p.id = $1`;

const toProduct = (row: ProductQueryRow): Product =>
  Product.restore({
    id: row.id,
    slug: row.slug,
    name: row.name,
    description: row.description,
    categoryId: row.category_id,
    attributes: row.attributes,
    status: row.status,
    taxClass: row.tax_class,
    variants: row.variants,
    createdAt: new Date(row.created_at),
    updatedAt: new Date(row.updated_at),
    version: row.version,
  });

const toCategory = (row: CategoryRow): Category =>
  Category.restore({
    id: row.id,
    slug: row.slug,
    name: row.name,
    parentId: row.parentId,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
  });

/** The unique violation behind a failed statement, if that is what it was. */
const uniqueViolation = (err: unknown): { constraint: string } | null => {
  const e = err as {
    code?: string;
    constraint?: string;
    driverError?: { code?: string; constraint?: string };
  };
  const code = e.driverError?.code ?? e.code;
  if (code !== '23505') return null;
  return { constraint: e.driverError?.constraint ?? e.constraint ?? '' };
};

export class TypeOrmProductRepository implements ProductRepository {
  constructor(private readonly m: EntityManager) {}

  async findById(id: Id): Promise<Product | null> {
    const [row]: ProductQueryRow[] = await this.m.query(PRODUCT_SELECT, [id]);
    return row ? toProduct(row) : null;
  }

  async findByIdForUpdate(id: Id): Promise<Product | null> {
    const [row]: ProductQueryRow[] = await this.m.query(`${PRODUCT_SELECT} FOR UPDATE OF p`, [id]);
    return row ? toProduct(row) : null;
  }

  async insert(product: Product): Promise<void> {
    const s = product.snapshot();
    const rows: unknown[] = await this.m.query(
      `INSERT INTO catalog_products
         (id, slug, name, description, category_id, attributes, status, tax_class, created_at, updated_at, version)
       VALUES ($1, $2, $3::jsonb, $4::jsonb, $5, $6::jsonb, $7, $8, $9, $10, $11)
       ON CONFLICT (slug) DO NOTHING RETURNING id`,
      [
        s.id,
        s.slug,
        JSON.stringify(s.name),
        JSON.stringify(s.description),
        s.categoryId,
        JSON.stringify(s.attributes),
        s.status,
        s.taxClass,
        s.createdAt,
        s.updatedAt,
        s.version,
      ],
    );
    if (rows.length === 0) throw new ProductSlugTakenError(s.slug);
    await this.writeVariants(product);
  }

  async update(product: Product): Promise<void> {
    const s = product.snapshot();
    try {
      await this.m.query(
        `UPDATE catalog_products
            SET slug = $2, name = $3::jsonb, description = $4::jsonb, category_id = $5, attributes = $6::jsonb,
                status = $7, tax_class = $8, updated_at = $9, version = $10
          WHERE id = $1`,
        [
          s.id,
          s.slug,
          JSON.stringify(s.name),
          JSON.stringify(s.description),
          s.categoryId,
          JSON.stringify(s.attributes),
          s.status,
          s.taxClass,
          s.updatedAt,
          s.version,
        ],
      );
    } catch (err) {
      if (uniqueViolation(err)) throw new ProductSlugTakenError(s.slug);
      throw err;
    }
    await this.writeVariants(product);
  }

  /** Makes the stored variants exactly the product's (removed ones deleted) and refreshes its lowest price. */
  private async writeVariants(product: Product): Promise<void> {
    const skus = product.skus;
    await this.m.query('DELETE FROM catalog_variants WHERE product_id = $1 AND NOT (sku = ANY($2::text[]))', [
      product.id,
      skus,
    ]);
    const variants = product.variants.map((v, position) => ({ sku: v.sku, options: v.options, position }));
    let written: unknown[];
    try {
      written = await this.m.query(
        `INSERT INTO catalog_variants (sku, product_id, options, position)
         SELECT v.sku, $1::uuid, v.options, v.position
           FROM jsonb_to_recordset($2::jsonb) AS v(sku text, options jsonb, position int)
         ON CONFLICT (sku) DO UPDATE SET options = EXCLUDED.options, position = EXCLUDED.position
          WHERE catalog_variants.product_id = EXCLUDED.product_id
         RETURNING sku`,
        [product.id, JSON.stringify(variants)],
      );
    } catch (err) {
      // a concurrent writer took one of the SKUs after our check (the unique index decides)
      if (uniqueViolation(err)) throw new SkuTakenError(skus);
      throw err;
    }
    if (written.length !== skus.length) {
      const mine = new Set((written as { sku: string }[]).map((r) => r.sku));
      throw new SkuTakenError(skus.filter((sku) => !mine.has(sku)));
    }
    await this.m.query(REFRESH_PRICE, [product.id]);
  }

  async skusTaken(skus: readonly string[], exceptProductId?: Id): Promise<string[]> {
    if (skus.length === 0) return [];
    const rows: { sku: string }[] = await this.m.query(
      `SELECT sku FROM catalog_variants
        WHERE lower(sku) = ANY($1::text[]) AND ($2::uuid IS NULL OR product_id <> $2::uuid)
        ORDER BY sku`,
      [skus.map((s) => s.toLowerCase()), exceptProductId ?? null],
    );
    return rows.map((r) => r.sku);
  }

  async count(): Promise<number> {
    const [row]: { n: number }[] = await this.m.query('SELECT count(*)::int AS n FROM catalog_products');
    return row?.n ?? 0;
  }
}

export class TypeOrmCategoryRepository implements CategoryRepository {
  constructor(private readonly m: EntityManager) {}

  async findById(id: Id): Promise<Category | null> {
    const row = await this.m.findOne(CategorySchema, { where: { id } });
    return row ? toCategory(row) : null;
  }

  async findBySlug(slug: string): Promise<Category | null> {
    const row = await this.m.findOne(CategorySchema, { where: { slug } });
    return row ? toCategory(row) : null;
  }

  async lockTree(): Promise<void> {
    await this.m.query("SELECT pg_advisory_xact_lock(hashtext('catalog_categories_tree'))");
  }

  async ancestorIds(id: Id): Promise<Id[]> {
    const rows: { id: string }[] = await this.m.query(
      `WITH RECURSIVE up(id, parent_id, depth) AS (
         SELECT id, parent_id, 0 FROM catalog_categories WHERE id = $1
         UNION
         SELECT c.id, c.parent_id, up.depth + 1
           FROM catalog_categories c JOIN up ON c.id = up.parent_id
          WHERE up.depth < 1000
       )
       SELECT id FROM up WHERE depth > 0 ORDER BY depth`,
      [id],
    );
    return rows.map((r) => r.id);
  }

  async insert(category: Category): Promise<void> {
    const s = category.snapshot();
    const rows: unknown[] = await this.m.query(
      `INSERT INTO catalog_categories (id, slug, name, parent_id, created_at, updated_at)
       VALUES ($1, $2, $3::jsonb, $4, $5, $6) ON CONFLICT (slug) DO NOTHING RETURNING id`,
      [s.id, s.slug, JSON.stringify(s.name), s.parentId, s.createdAt, s.updatedAt],
    );
    if (rows.length === 0) throw new CategorySlugTakenError(s.slug);
  }

  async update(category: Category): Promise<void> {
    const s = category.snapshot();
    await this.m.query(
      'UPDATE catalog_categories SET name = $2::jsonb, parent_id = $3, updated_at = $4 WHERE id = $1',
      [s.id, JSON.stringify(s.name), s.parentId, s.updatedAt],
    );
  }
}

export class TypeOrmSkuPriceProjection implements SkuPriceProjection {
  constructor(private readonly m: EntityManager) {}

  async apply(change: PriceChange): Promise<AffectedProduct[]> {
    const stored: unknown[] = await this.m.query(
      `INSERT INTO catalog_sku_prices (sku, amount, currency, updated_at) VALUES ($1, $2, $3, $4)
       ON CONFLICT (sku) DO UPDATE
         SET amount = EXCLUDED.amount, currency = EXCLUDED.currency, updated_at = EXCLUDED.updated_at
       WHERE catalog_sku_prices.updated_at <= EXCLUDED.updated_at
       RETURNING sku`,
      [change.sku, change.amount, change.currency, change.at],
    );
    if (stored.length === 0) return []; // an older change arriving late
    // UPDATE inside a CTE so that the driver hands back the rows (not [rows, count])
    const rows: AffectedProduct[] = await this.m.query(
      `WITH refreshed AS (
         UPDATE catalog_products p
            SET price_amount = (SELECT min(sp.amount) FROM catalog_variants v
                                  JOIN catalog_sku_prices sp ON sp.sku = v.sku
                                 WHERE v.product_id = p.id)
          WHERE p.id IN (SELECT product_id FROM catalog_variants WHERE sku = $1)
          RETURNING p.id, p.slug, p.status
       )
       SELECT id, slug, status FROM refreshed`,
      [change.sku],
    );
    return rows;
  }
}

export const catalogRepos = (m: EntityManager): CatalogRepos => ({
  products: new TypeOrmProductRepository(m),
  categories: new TypeOrmCategoryRepository(m),
  prices: new TypeOrmSkuPriceProjection(m),
});
