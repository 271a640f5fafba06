import type { DataSource } from 'typeorm';
import { asManager } from '../../../platform/db/typeorm-unit-of-work.js';
import type { TransactionHandle } from '../../../platform/db/unit-of-work.js';
import type { Id } from '../../../platform/ids.js';
import {
  InvalidCursorError,
  type ProductHit,
  type ProductSearchQuery,
  type ProductSearchResult,
  type SearchIndex,
} from '../../application/search-index.port.js';
import { type Cursor, decodeCursor, encodeCursor, queryFingerprint } from './search-cursor.codec.js';

/** PostgreSQL text-search configuration per locale; languages without one use `simple` (no stemming). */
const TEXT_SEARCH_CONFIGS: Readonly<Record<string, string>> = {
  en: 'english',
  de: 'german',
  fr: 'french',
  es: 'spanish',
  it: 'italian',
  nl: 'dutch',
  pt: 'portuguese',
  sv: 'swedish',
  da: 'danish',
  fi: 'finnish',
  nb: 'norwegian',
  no: 'norwegian',
};

export const textSearchConfig = (locale: string): string => TEXT_SEARCH_CONFIGS[locale] ?? 'simple';

/** Collects positional parameters while a statement is assembled. */
class Params {
  readonly values: unknown[] = [];
  add(value: unknown): string {
    this.values.push(value);
    return `$${this.values.length}`;
  }
}

interface SortPlan {
  /** expressions compared as a row, in ORDER BY order */
  keys: string[];
  /** the casts that turn cursor values back into key values */
  casts: string[];
  direction: 'ASC' | 'DESC';
}

interface HitRow {
  id: string;
  slug: string;
  name: string;
  price: string | null;
  category: string;
  skus: string[];
  [key: `k${number}`]: string | number;
}

/**
 * Word-similarity threshold of the trigram match. PostgreSQL's default (0.6) misses a transposed pair
 * of letters in a ten-letter word (0.55); 0.5 catches a one-letter insertion, deletion, substitution or
 * transposition in words of about seven letters or more.
 */
export const WORD_SIMILARITY_THRESHOLD = 0.5;

/** The sort key columns (k0, k1, …) of a hit row, in order. */
const keysOf = (row: HitRow): (string | number)[] => {
  const keys: (string | number)[] = [];
  for (let i = 0; `k${i}` in row; i++) keys.push(row[`k${i}`]!);
  return keys;
};

/** Higher than any price: products without a price sort last going up. */
const NO_PRICE_UP = '9000000000000000000';

/**
 * The SearchIndex port on PostgreSQL.
 *
 * Documents: `catalog_products.search_document` (tsvector) holds, for every region locale, the name
 * (weight A), the category name and string attributes (B) and the description (C), each analysed with
 * that locale's text-search configuration (missing translations fall back to the default locale);
 * `search_text` holds the names, lower-cased and unaccented, for trigram matching. Both are GIN-indexed
 * and written in the same transaction as the product (`index`).
 *
 * Matching: `websearch_to_tsquery` in the request locale's configuration, OR trigram word similarity
 * (`<%` at WORD_SIMILARITY_THRESHOLD) so that a one-letter typo still matches.
 * Relevance: exact (case-insensitive) name match first, then ts_rank, then word similarity, then id.
 * Neither score depends on other rows, so the order of existing products never changes while others are
 * added, which keeps keyset pagination exact.
 */
export class PostgresSearchIndex implements SearchIndex {
  private readonly indexById: string;
  private readonly indexByCategory: string;
  private readonly indexParams: unknown[];
  /** pooled connections already set to WORD_SIMILARITY_THRESHOLD */
  private readonly configured = new WeakSet<object>();

  constructor(
    private readonly ds: DataSource,
    locales: readonly string[],
    private readonly defaultLocale: string,
  ) {
    const params = new Params();
    const target = params.add(null); // $1: product ids or category id, bound per call
    const fallback = params.add(defaultLocale);
    const vectors = locales.map((locale) => {
      const l = params.add(locale);
      const cfg = `${params.add(textSearchConfig(locale))}::regconfig`;
      const text = (column: string) => `coalesce(${column}->>${l}, ${column}->>${fallback}, '')`;
      return [
        `setweight(to_tsvector(${cfg}, ${text('p.name')}), 'A')`,
        `setweight(to_tsvector(${cfg}, ${text('c.name')} || ' ' || coalesce((
            SELECT string_agg(a.value #>> '{}', ' ') FROM jsonb_each(p.attributes) a
             WHERE jsonb_typeof(a.value) = 'string'), '')), 'B')`,
        `setweight(to_tsvector(${cfg}, ${text('p.description')}), 'C')`,
      ].join(' || ');
    });
    const update = (where: string) => `
      UPDATE catalog_products p
         SET search_document = ${vectors.join(' || ')},
             search_text = lower(unaccent(coalesce((SELECT string_agg(n.value, ' ') FROM jsonb_each_text(p.name) n), '')))
        FROM catalog_categories c
       WHERE c.id = p.category_id AND ${where}`;
    this.indexById = update(`p.id = ANY(${target}::uuid[])`);
    this.indexByCategory = update(`p.category_id = ${target}::uuid`);
    this.indexParams = params.values;
  }

  async index(productIds: readonly Id[], tx: TransactionHandle): Promise<void> {
    if (productIds.length === 0) return;
    await asManager(tx).query(this.indexById, [[...productIds], ...this.indexParams.slice(1)]);
  }

  async indexCategory(categoryId: Id, tx: TransactionHandle): Promise<void> {
    await asManager(tx).query(this.indexByCategory, [categoryId, ...this.indexParams.slice(1)]);
  }

  async search(query: ProductSearchQuery): Promise<ProductSearchResult> {
    const fingerprint = queryFingerprint(query);
    const after = query.cursor ? decodeCursor(query.cursor, query.sort, fingerprint) : null;
    const [rows, facets] = await Promise.all([this.page(query, after), this.facets(query)]);
    const hasMore = rows.length > query.limit;
    const page = hasMore ? rows.slice(0, query.limit) : rows;
    const last = page[page.length - 1];
    const items: ProductHit[] = page.map((r) => ({
      id: r.id,
      slug: r.slug,
      name: r.name,
      price: r.price === null ? null : Number(r.price),
      category: r.category,
      skus: r.skus,
    }));
    return {
      items,
      nextCursor: hasMore && last ? encodeCursor(query.sort, fingerprint, keysOf(last)) : null,
      facets,
    };
  }

  /** Filters shared by the page and the facets (the facets leave out the category). */
  private filters(query: ProductSearchQuery, params: Params, withCategory: boolean): string[] {
    const where = [`p.status = 'active'`];
    if (query.text) where.push(this.matchClause(query, params));
    if (withCategory && query.category) {
      const slug = params.add(query.category);
      where.push(`p.category_id IN (
        WITH RECURSIVE sub AS (
          SELECT id FROM catalog_categories WHERE slug = ${slug}
          UNION
          SELECT c.id FROM catalog_categories c JOIN sub ON c.parent_id = sub.id
        ) SELECT id FROM sub)`);
    }
    if (query.minPrice !== null) where.push(`p.price_amount >= ${params.add(query.minPrice)}::bigint`);
    if (query.maxPrice !== null) where.push(`p.price_amount <= ${params.add(query.maxPrice)}::bigint`);
    for (const [name, values] of Object.entries(query.attributes)) {
      const alternatives = values.flatMap((value) => attributeCandidates(name, value));
      where.push(
        `(${alternatives.map((a) => `p.attributes @> ${params.add(JSON.stringify(a))}::jsonb`).join(' OR ')})`,
      );
    }
    return where;
  }

  private matchClause(query: ProductSearchQuery, params: Params): string {
    const tsquery = `websearch_to_tsquery(${params.add(textSearchConfig(query.locale))}::regconfig, ${params.add(query.text)})`;
    const normalised = `lower(unaccent(${params.add(query.text)}))`;
    return `(p.search_document @@ ${tsquery} OR p.search_text %> ${normalised})`;
  }

  private sortPlan(query: ProductSearchQuery, params: Params): SortPlan {
    switch (query.sort) {
      case 'relevance': {
        if (!query.text) return this.sortPlan({ ...query, sort: 'newest' }, params);
        const text = params.add(query.text);
        const cfg = params.add(textSearchConfig(query.locale));
        const name = `coalesce(p.name->>${params.add(query.locale)}, p.name->>${params.add(this.defaultLocale)})`;
        return {
          keys: [
            `(CASE WHEN lower(${name}) = lower(${text}) THEN -1 ELSE 0 END)`,
            `(-ts_rank(p.search_document, websearch_to_tsquery(${cfg}::regconfig, ${text}))::float8)`,
            `(-word_similarity(lower(unaccent(${text})), p.search_text)::float8)`,
            'p.id',
          ],
          casts: ['int', 'float8', 'float8', 'uuid'],
          direction: 'ASC',
        };
      }
      case 'price_asc':
        return {
          keys: [`coalesce(p.price_amount, ${NO_PRICE_UP}::bigint)`, 'p.id'],
          casts: ['bigint', 'uuid'],
          direction: 'ASC',
        };
      case 'price_desc':
        // negated so that ids still break ties ascending and products without a price come last
        return {
          keys: ['(-coalesce(p.price_amount, -1))', 'p.id'],
          casts: ['bigint', 'uuid'],
          direction: 'ASC',
        };
      case 'newest':
        return {
          keys: [`p.created_at`, 'p.id'],
          casts: ['timestamptz', 'uuid'],
          direction: 'DESC',
        };
    }
  }

  private async page(query: ProductSearchQuery, after: Cursor | null): Promise<HitRow[]> {
    const params = new Params();
    const where = this.filters(query, params, true);
    const plan = this.sortPlan(query, params);
    if (after) {
      if (after.k.length !== plan.keys.length) throw new InvalidCursorError();
      const bound = after.k.map((value, i) => `${params.add(value)}::${plan.casts[i]}`);
      where.push(`(${plan.keys.join(', ')}) ${plan.direction === 'ASC' ? '>' : '<'} (${bound.join(', ')})`);
    }
    const keyColumns = plan.keys.map((k, i) =>
      plan.casts[i] === 'timestamptz'
        ? // microsecond text in UTC: exact, whatever the session's DateStyle
          `to_char(${k} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS k${i}`
        : `${k} AS k${i}`,
    );
    const locale = params.add(query.locale);
    const fallback = params.add(this.defaultLocale);
    const sql = `
      SELECT p.id, p.slug, coalesce(p.name->>${locale}, p.name->>${fallback}) AS name,
             p.price_amount AS price, c.slug AS category,
             ARRAY(SELECT v.sku FROM catalog_variants v WHERE v.product_id = p.id ORDER BY v.position) AS skus,
             ${keyColumns.join(', ')}
        FROM catalog_products p
        JOIN catalog_categories c ON c.id = p.category_id
       WHERE ${where.join(' AND ')}
       ORDER BY ${plan.keys.map((k) => `${k} ${plan.direction}`).join(', ')}
       LIMIT ${params.add(query.limit + 1)}`;
    return this.query(sql, params.values);
  }

  private async facets(query: ProductSearchQuery): Promise<{ slug: string; count: number }[]> {
    const params = new Params();
    const where = this.filters(query, params, false);
    return this.query(
      `SELECT c.slug, count(*)::int AS count
         FROM catalog_products p
         JOIN catalog_categories c ON c.id = p.category_id
        WHERE ${where.join(' AND ')}
        GROUP BY c.slug
        ORDER BY count DESC, c.slug`,
      params.values,
    );
  }

  /**
   * Runs a search statement on a pooled connection whose session uses our trigram threshold. The SET
   * happens once per connection (no extra round trip afterwards); it only concerns pg_trgm's `<%`,
   * which nothing else in shopcore uses.
   */
  private async query<T>(sql: string, params: unknown[]): Promise<T[]> {
    const runner = this.ds.createQueryRunner('slave');
    try {
      await runner.connect();
      // the pg client under the runner (PostgresQueryRunner); one per pooled connection
      const connection = (runner as unknown as { databaseConnection: object }).databaseConnection;
      if (!this.configured.has(connection)) {
        await runner.query(`SET pg_trgm.word_similarity_threshold = ${WORD_SIMILARITY_THRESHOLD}`);
        this.configured.add(connection);
      }
      return await runner.query(sql, params);
    } finally {
      await runner.release();
    }
  }
}

/**
 * The JSON values an `attr.<name>=<value>` filter accepts: the string, and the boolean or number it
 * spells (attributes keep their JSON type).
 */
export const attributeCandidates = (
  name: string,
  value: string,
): Record<string, string | number | boolean>[] => {
  const out: Record<string, string | number | boolean>[] = [{ [name]: value }];
  if (value === 'true' || value === 'false') out.push({ [name]: value === 'true' });
  if (/^-?\d+(\.\d+)?$/.test(value) && Number.isFinite(Number(value))) out.push({ [name]: Number(value) });
  return out;
};
