import type { DataSource } from 'typeorm';
import { textSearchConfig } from '../postgres.search-index.js';

/** One product row as the in-memory index reads it (active or not: a change may take it out). */
export interface ProductRow {
  id: string;
  slug: string;
  status: string;
  name: Record<string, string>;
  category_id: string;
  attributes: Record<string, unknown>;
  price_amount: string | null;
  /** created_at, UTC, microseconds: sorts as text */
  created: string;
  /** the search_document tsvector as text */
  doc: string;
  search_text: string;
  skus: string[];
  /** search_changed_at, UTC, microseconds */
  changed: string;
}

export interface CategoryRow {
  id: string;
  slug: string;
  parent: string | null;
}

/** A product's search stamp: which change of the row was last written. */
export interface ProductStamp {
  id: string;
  changed: string;
}

const SELECT = `
  SELECT p.id, p.slug, p.status, p.name, p.category_id, p.attributes, p.price_amount,
         to_char(p.created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS created,
         p.search_document::text AS doc, p.search_text,
         ARRAY(SELECT v.sku FROM catalog_variants v WHERE v.product_id = p.id ORDER BY v.position) AS skus,
         to_char(p.search_changed_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS changed
    FROM catalog_products p`;

/**
 * What the in-memory index reads from PostgreSQL, the source of truth: product and category rows,
 * the stamps of recent changes, the database clock, and PostgreSQL's analysis of a query text.
 */
export class PostgresSource {
  constructor(private readonly dataSource: DataSource) {}

  activeProducts(): Promise<ProductRow[]> {
    return this.dataSource.query(`${SELECT} WHERE p.status = 'active'`);
  }

  productsByIds(ids: readonly string[]): Promise<ProductRow[]> {
    return this.dataSource.query(`${SELECT} WHERE p.id = ANY($1::uuid[])`, [ids]);
  }

  /** The stamps of the products written after `from` (ISO instant), whatever their status. */
  stampsSince(from: string): Promise<ProductStamp[]> {
    return this.dataSource.query(
      `SELECT id, to_char(search_changed_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS changed
         FROM catalog_products WHERE search_changed_at > $1`,
      [from],
    );
  }

  async categories(): Promise<Map<string, CategoryRow>> {
    const rows: { id: string; slug: string; parent_id: string | null }[] = await this.dataSource.query(
      'SELECT id, slug, parent_id FROM catalog_categories',
    );
    return new Map(rows.map((r) => [r.id, { id: r.id, slug: r.slug, parent: r.parent_id }]));
  }

  /** The database's clock (stamps are written with it, not with this process's), in ms. */
  async now(): Promise<number> {
    const [row]: { now: Date }[] = await this.dataSource.query('SELECT clock_timestamp() AS now');
    return new Date(row?.now ?? Date.now()).getTime();
  }

  /** PostgreSQL's reading of a query text: `websearch_to_tsquery` in the locale's language, and `lower(unaccent())`. */
  async analyse(text: string, locale: string): Promise<{ q: string; norm: string } | undefined> {
    const [row]: { q: string; norm: string }[] = await this.dataSource.query(
      'SELECT websearch_to_tsquery($1::regconfig, $2)::text AS q, lower(unaccent($2)) AS norm',
      [textSearchConfig(locale), text],
    );
    return row;
  }
}
