import { EntitySchema } from 'typeorm';

/**
 * Row shapes of the catalog tables; mapping to the domain lives in the repositories. The search
 * columns of catalog_products (search_document, search_text) belong to the Postgres search adapter
 * and are not mapped here.
 */
export interface CategoryRow {
  id: string;
  slug: string;
  name: Record<string, string>;
  parentId: string | null;
  createdAt: Date;
  updatedAt: Date;
}

export interface ProductRow {
  id: string;
  slug: string;
  name: Record<string, string>;
  description: Record<string, string>;
  categoryId: string;
  attributes: Record<string, string | number | boolean>;
  status: string;
  taxClass: string;
  /** lowest variant price from catalog_sku_prices (denormalised for sorting and filtering) */
  priceAmount: string | null;
  createdAt: Date;
  updatedAt: Date;
  version: number;
}

export interface VariantRow {
  sku: string;
  productId: string;
  options: Record<string, string>;
  position: number;
}

export interface SkuPriceRow {
  sku: string;
  amount: string;
  currency: string;
  updatedAt: Date;
}

const ts = { type: 'timestamptz' as const };

export const CategorySchema = new EntitySchema<CategoryRow>({
  name: 'CatalogCategory',
  tableName: 'catalog_categories',
  columns: {
    id: { type: 'uuid', primary: true },
    slug: { type: 'text' },
    name: { type: 'jsonb' },
    parentId: { type: 'uuid', name: 'parent_id', nullable: true },
    createdAt: { ...ts, name: 'created_at' },
    updatedAt: { ...ts, name: 'updated_at' },
  },
});

export const ProductSchema = new EntitySchema<ProductRow>({
  name: 'CatalogProduct',
  tableName: 'catalog_products',
  columns: {
    id: { type: 'uuid', primary: true },
    slug: { type: 'text' },
    name: { type: 'jsonb' },
    description: { type: 'jsonb' },
    categoryId: { type: 'uuid', name: 'category_id' },
    attributes: { type: 'jsonb' },
    status: { type: 'text' },
    taxClass: { type: 'text', name: 'tax_class' },
    priceAmount: { type: 'bigint', name: 'price_amount', nullable: true },
    createdAt: { ...ts, name: 'created_at' },
    updatedAt: { ...ts, name: 'updated_at' },
    version: { type: 'int' },
  },
});

export const VariantSchema = new EntitySchema<VariantRow>({
  name: 'CatalogVariant',
  tableName: 'catalog_variants',
  columns: {
    sku: { type: 'text', primary: true },
    productId: { type: 'uuid', name: 'product_id' },
    options: { type: 'jsonb' },
    position: { type: 'int' },
  },
});

export const SkuPriceSchema = new EntitySchema<SkuPriceRow>({
  name: 'CatalogSkuPrice',
  tableName: 'catalog_sku_prices',
  columns: {
    sku: { type: 'text', primary: true },
    amount: { type: 'bigint' },
    currency: { type: 'char', length: 3 },
    updatedAt: { ...ts, name: 'updated_at' },
  },
});

export const CATALOG_ENTITIES = [CategorySchema, ProductSchema, VariantSchema, SkuPriceSchema];
