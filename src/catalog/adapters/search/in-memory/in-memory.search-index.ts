import type { DataSource } from 'typeorm';
import type { TransactionHandle } from '../../../../platform/db/unit-of-work.js';
import type { Id } from '../../../../platform/ids.js';
import type { Logger } from '../../../../platform/logging/logger.js';
import type {
  ProductHit,
  ProductSearchQuery,
  ProductSearchResult,
  SearchIndex,
} from '../../../application/search-index.port.js';
import {
  attributeCandidates,
  type PostgresSearchIndex,
  textSearchConfig,
  WORD_SIMILARITY_THRESHOLD,
} from '../postgres.search-index.js';
import { type Cursor, decodeCursor, encodeCursor, queryFingerprint } from '../search-cursor.codec.js';
import {
  parseTsquery,
  parseTsvector,
  queryTerms,
  rank,
  TrigramScorer,
  type TsQuery,
  trigrams,
} from './text-match.rules.js';

/** One active product as the index holds it. */
interface Doc {
  /** its number: index into `docs` and the per-document arrays */
  ord: number;
  id: string;
  slug: string;
  names: Record<string, string>;
  /** the names lower-cased, for the exact-name rule of relevance */
  lowerNames: Record<string, string>;
  categoryId: string;
  /** the category's number in `categoryIds` (facets count into an array) */
  cat: number;
  price: number | null;
  /** created_at, UTC, microseconds: sorts as text */
  created: string;
  attributes: Record<string, unknown>;
  skus: string[];
  /** search_text's trigrams, interned, in order */
  tri: Uint32Array;
  /** search_changed_at of the row this was built from */
  changed: string;
  alive: boolean;
}

interface Row {
  id: string;
  slug: string;
  status: string;
  name: Record<string, string>;
  category_id: string;
  attributes: Record<string, unknown>;
  price_amount: string | null;
  created: string;
  doc: string;
  search_text: string;
  skus: string[];
  changed: string;
}

interface Category {
  id: string;
  slug: string;
  parent: string | null;
}

type Key = (string | number)[];

const SELECT = `
  SELECT p.id, p.slug, p.status, p.name, p.category_id, p.attributes, p.price_amount,
         to_char(p.created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS created,
         p.search_document::text AS doc, p.search_text,
         ARRAY(SELECT v.sku FROM catalog_variants v WHERE v.product_id = p.id ORDER BY v.position) AS skus,
         to_char(p.search_changed_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS changed
    FROM catalog_products p`;

/** Higher than any price: products without a price sort last going up (as in the PostgreSQL adapter). */
const NO_PRICE_UP = 9e18;

const compareKeys = (a: Key, b: Key): number => {
  for (let i = 0; i < a.length; i++) {
    const x = a[i] as string | number;
    const y = b[i] as string | number;
    if (x < y) return -1;
    if (x > y) return 1;
  }
  return 0;
};

export interface InMemorySearchIndexOptions {
  dataSource: DataSource;
  /** writes the search columns that this index reads (documents stay PostgreSQL's) */
  documents: PostgresSearchIndex;
  defaultLocale: string;
  logger: Logger;
  /** how often to read the products changed since the last look (ms) */
  pollMs?: number;
  /** how far back each look reaches before the last change seen, for transactions that commit late (ms) */
  overlapMs?: number;
  /** how often to reload everything, the backstop for a change committed later than the overlap (ms) */
  reloadMs?: number;
}

/**
 * The SearchIndex port in process memory, fed from PostgreSQL (the source of truth).
 *
 * Documents are PostgreSQL's: the `search_document` tsvector and the `search_text` trigram text that
 * the PostgreSQL adapter writes in the product's transaction. Queries are parsed by PostgreSQL too
 * (`websearch_to_tsquery` in the request language, `lower(unaccent())`), once per distinct text and
 * locale (a bounded map). Matching, ranking, filters, facets, sorting and keyset paging run here:
 * posting lists per lexeme and per trigram find the candidates, so a search touches only the products
 * that share words or trigrams with the query, and a listing walks a pre-sorted array.
 *
 * Freshness: every write of a product row stamps `search_changed_at` (a trigger); each instance
 * reads the rows stamped since its last look began, minus an overlap for transactions that commit up
 * to `overlapMs` after their stamp, every `pollMs` (ids and stamps first; full rows only for those not
 * applied yet), and `refresh()` — called by the admin use cases after their commit — looks at
 * once, so the instance that made a change lists it on the next request. The whole catalog is reloaded
 * every `reloadMs` as a backstop. See ADR 0022.
 */
export class InMemorySearchIndex implements SearchIndex {
  private docs: Doc[] = [];
  /** per document number, contiguous for the listing scan: lowest price (NaN: none), category number, live (1/0) */
  private prices: number[] = [];
  private cats: number[] = [];
  private live: number[] = [];
  private byId = new Map<string, number>();
  /** the search_changed_at applied for every product read (active or not), so the overlap skips them */
  private applied = new Map<string, string>();
  private lexemes = new Map<string, { ords: number[]; scores: number[] }>();
  private trigramIds = new Map<string, number>();
  /** `name\u0000JSON value` → document numbers having that attribute value */
  private attributeOrds = new Map<string, number[]>();
  private trigramPostings: number[][] = [];
  private dead = 0;
  private sorted: { newest: number[]; priceUp: number[]; priceDown: number[] } | null = null;
  private categories = new Map<string, Category>();
  /** category id ↔ number; numbers are never reused, so a document's number stays valid */
  private readonly categoryNumbers = new Map<string, number>();
  private readonly categoryIds: string[] = [];
  private categoryBySlug = new Map<string, Category>();
  private readonly parsed = new Map<string, { query: TsQuery | null; terms: Set<string>; norm: string }>();
  private readonly scorer = new TrigramScorer(1024);
  /** the database clock when the last look began: rows stamped before it minus the overlap were seen */
  private lookedAt = 0;
  private ready: Promise<void> | null = null;
  private running: Promise<void> | null = null;
  private queued: Promise<void> | null = null;
  private timer: NodeJS.Timeout | null = null;
  private lastReload = 0;
  private readonly pollMs: number;
  private readonly overlapMs: number;
  private readonly reloadMs: number;

  constructor(private readonly opts: InMemorySearchIndexOptions) {
    this.pollMs = opts.pollMs ?? 1000;
    this.overlapMs = opts.overlapMs ?? 5000;
    this.reloadMs = opts.reloadMs ?? 10 * 60_000;
  }

  /** Loads the catalog and starts following its changes. */
  start(): Promise<void> {
    this.ready ??= this.reload().then(() => {
      this.timer = setInterval(() => {
        this.refresh().catch((err) => this.opts.logger.warn({ err }, 'search index refresh failed'));
      }, this.pollMs);
      this.timer.unref();
    });
    return this.ready;
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  /**
   * Catches up with every product change committed before the call. One look runs at a time: a caller
   * that arrives while one runs waits for the next (which starts after its call); callers arriving
   * before that one starts share it.
   */
  refresh(): Promise<void> {
    if (this.queued) return this.queued;
    const previous = this.running ?? Promise.resolve();
    const run: Promise<void> = previous
      .catch(() => {})
      .then(async () => {
        this.queued = null;
        this.running = run;
        await this.start();
        if (Date.now() - this.lastReload > this.reloadMs) await this.reload();
        else await this.catchUp();
      })
      .finally(() => {
        if (this.running === run) this.running = null;
      });
    this.queued = run;
    return run;
  }

  async index(productIds: readonly Id[], tx: TransactionHandle): Promise<void> {
    await this.opts.documents.index(productIds, tx);
  }

  async indexCategory(categoryId: Id, tx: TransactionHandle): Promise<void> {
    await this.opts.documents.indexCategory(categoryId, tx);
  }

  async search(query: ProductSearchQuery): Promise<ProductSearchResult> {
    await this.start();
    const fingerprint = queryFingerprint(query);
    const after = query.cursor ? decodeCursor(query.cursor, query.sort, fingerprint) : null;
    const text = query.text ? await this.parse(query.text, query.locale) : null;
    const sort = query.sort === 'relevance' && !text ? 'newest' : query.sort;
    const inCategory = query.category ? this.categoryMask(query.category) : null;
    const passes = this.filter(query);

    // candidates: the text matches, or (no text) every product in the sort's order
    const candidates = text ? this.textMatches(text) : null;
    const facetCounts = new Int32Array(this.categoryIds.length);
    const countFacet = (doc: Doc) => {
      facetCounts[doc.cat] = (facetCounts[doc.cat] as number) + 1;
    };

    const page: { doc: Doc; key: Key }[] = [];
    if (candidates) {
      // the best `limit + 1` after the cursor, kept sorted (insertion: the page is small, matches many)
      const bound = after ? this.cursorKey(after, sort) : null;
      const keep = query.limit + 1;
      const relevance = sort === 'relevance';
      for (const [ord, known] of candidates) {
        if (!passes(ord)) continue;
        const doc = this.docs[ord] as Doc;
        countFacet(doc);
        if (inCategory && inCategory[doc.cat] === 0) continue;
        // similarity is the third relevance key (and no key of the other sorts): a full-text match
        // gets it only if its exact-name and rank keys leave it a chance of the page
        let key: Key;
        if (relevance) {
          const head = this.relevanceHead(doc, text as ParsedText);
          if (known < 0 && !mayEnter(head, bound, page, keep)) continue;
          const sim = known >= 0 ? known : this.scorer.similarity(doc.tri);
          key = [head[0], head[1], -sim, doc.id];
        } else {
          key = this.keyOf(doc, sort, text, known);
        }
        if (bound && compareKeys(key, bound) <= 0) continue;
        if (page.length === keep && compareKeys(key, (page[keep - 1] as { key: Key }).key) >= 0) continue;
        let at = page.length;
        while (at > 0 && compareKeys(key, (page[at - 1] as { key: Key }).key) < 0) at--;
        page.splice(at, 0, { doc, key });
        if (page.length > keep) page.pop();
      }
    } else {
      const order = this.order(sort);
      const bound = after ? this.cursorKey(after, sort) : null;
      // the scan reads contiguous arrays (and the filter its per-request marks); documents only for the page
      const { cats, live } = this;
      for (let i = 0; i < order.length; i++) {
        const ord = order[i] as number;
        if (live[ord] === 0 || !passes(ord)) continue;
        const cat = cats[ord] as number;
        facetCounts[cat] = (facetCounts[cat] as number) + 1;
        if (page.length > query.limit || (inCategory && inCategory[cat] === 0)) continue;
        const doc = this.docs[ord] as Doc;
        const key = this.keyOf(doc, sort, null, 0);
        if (bound && compareKeys(key, bound) <= 0) continue;
        page.push({ doc, key });
      }
    }

    const hasMore = page.length > query.limit;
    const shown = page.slice(0, query.limit);
    const last = shown[shown.length - 1];
    const items: ProductHit[] = shown.map(({ doc }) => ({
      id: doc.id,
      slug: doc.slug,
      name: doc.names[query.locale] ?? doc.names[this.opts.defaultLocale] ?? '',
      price: doc.price,
      category: this.categories.get(doc.categoryId)?.slug ?? '',
      skus: doc.skus,
    }));
    const facets: { slug: string; count: number }[] = [];
    facetCounts.forEach((count, cat) => {
      const slug = this.categories.get(this.categoryIds[cat] as string)?.slug;
      if (count > 0 && slug) facets.push({ slug, count });
    });
    facets.sort((a, b) => b.count - a.count || (a.slug < b.slug ? -1 : a.slug > b.slug ? 1 : 0));
    return {
      items,
      nextCursor:
        hasMore && last ? encodeCursor(query.sort, fingerprint, this.publicKey(last.key, sort)) : null,
      facets,
    };
  }

  /** Products in the index (for readiness checks and the benchmark). */
  get size(): number {
    return this.byId.size;
  }

  // --- keys ------------------------------------------------------------------------------------

  /**
   * Sort keys, all ascending: relevance [exact name match (-1/0), −rank, −similarity, id];
   * price [price or "none" last, id]; newest [inverted created_at, inverted id] so that one ascending
   * comparison serves every sort.
   */
  private keyOf(doc: Doc, sort: string, text: ParsedText | null, sim: number): Key {
    switch (sort) {
      case 'relevance': {
        const [exact, rank] = this.relevanceHead(doc, text as ParsedText);
        return [exact, rank, -sim, doc.id];
      }
      case 'price_asc':
        return [doc.price ?? NO_PRICE_UP, doc.id];
      case 'price_desc':
        return [-(doc.price ?? -1), doc.id];
      default:
        return [invert(doc.created), invert(doc.id)];
    }
  }

  /** The key as the cursor carries it (newest: the plain created_at and id, like the PostgreSQL adapter). */
  private publicKey(key: Key, sort: string): Key {
    return sort === 'newest' ? key.map((k) => invert(String(k))) : key;
  }

  private cursorKey(cursor: Cursor, sort: string): Key {
    const k = cursor.k;
    if (sort === 'newest') return k.map((v) => invert(String(v)));
    if (sort === 'price_asc' || sort === 'price_desc') return [Number(k[0]), k[1] as string];
    return k;
  }

  /** The first two relevance keys: exact name match (−1/0) and −rank. */
  private relevanceHead(doc: Doc, text: ParsedText): [number, number] {
    const name = doc.lowerNames[text.locale] ?? doc.lowerNames[this.opts.defaultLocale] ?? '';
    return [name === text.lower ? -1 : 0, -this.rankOf(doc, text)];
  }

  private rankOf(doc: Doc, text: ParsedText): number {
    const ord = doc.ord;
    let res = 0;
    for (const term of text.terms) {
      const posting = this.lexemes.get(term);
      if (!posting) continue;
      const i = bisect(posting.ords, ord);
      if (posting.ords[i] === ord) res += posting.scores[i] as number;
    }
    return res / Math.max(text.terms.size, 1);
  }

  // --- matching --------------------------------------------------------------------------------

  /**
   * The price and attribute filters, by document number. Attributes go through their postings: a
   * document passes when, for every named attribute, one of the accepted values is among its own
   * (a per-request array marks how many attributes each document has passed so far).
   */
  private filter(query: ProductSearchQuery): (ord: number) => boolean {
    const { minPrice, maxPrice } = query;
    const low = minPrice ?? Number.NEGATIVE_INFINITY;
    const high = maxPrice ?? Number.POSITIVE_INFINITY;
    const priced = minPrice !== null || maxPrice !== null;
    const names = Object.keys(query.attributes);
    let passed: Uint8Array | null = null;
    if (names.length > 0) {
      passed = new Uint8Array(this.docs.length);
      names.forEach((name, i) => {
        for (const value of query.attributes[name] ?? []) {
          for (const candidate of attributeCandidates(name, value)) {
            for (const ord of this.attributeOrds.get(attributeKey(name, candidate[name])) ?? []) {
              if ((passed as Uint8Array)[ord] === i) (passed as Uint8Array)[ord] = i + 1;
            }
          }
        }
      });
    }
    const all = names.length;
    const { prices } = this;
    return (ord) => {
      if (priced) {
        const price = prices[ord] as number;
        if (!(price >= low && price <= high)) return false;
      }
      return passed === null || passed[ord] === all;
    };
  }

  /**
   * Live products whose document matches the tsquery or whose names are word-similar to the text, with
   * their word similarity (−1: not computed yet — a full-text match below the threshold; the scorer is
   * left set up for this query so that the caller can compute it).
   */
  private textMatches(text: ParsedText): Map<number, number> {
    const out = new Map<number, number>();
    // a one-word query (the usual case) is its posting list as it stands; others are evaluated
    const full: Iterable<number> = !text.query
      ? []
      : text.query.op === 'term'
        ? (this.lexemes.get(text.query.lexeme)?.ords ?? [])
        : this.evaluate(text.query);
    const q = new Set<number>();
    let unknown = 0;
    for (const t of new Set(trigrams(text.norm))) {
      const id = this.trigramIds.get(t);
      if (id === undefined) unknown++;
      else q.add(id);
    }
    const size = q.size + unknown;
    const ids = [...q];
    this.scorer.reset(ids, size, this.trigramPostings.length);
    // Prefix filtering: a product reaching the threshold shares at least `need` of the |Q| trigrams,
    // so it shares one of the |Q| − need + 1 rarest. Trigrams in no product are the rarest of all (and
    // share nothing); the common ones (a third of all names start with "s") are never walked. Each
    // candidate's shared count is checked before its similarity is computed.
    const need = Math.ceil(WORD_SIMILARITY_THRESHOLD * size);
    const prefix = size - need + 1 - unknown;
    if (size > 0 && prefix > 0) {
      const length = (id: number) => this.trigramPostings[id]?.length ?? 0;
      const rarest = ids
        .slice()
        .sort((a, b) => length(a) - length(b))
        .slice(0, prefix);
      const seen = new Uint8Array(this.docs.length);
      for (const id of rarest) {
        for (const ord of this.trigramPostings[id] ?? []) {
          if (seen[ord] === 1) continue;
          seen[ord] = 1;
          const doc = this.docs[ord] as Doc;
          if (!doc.alive || this.scorer.sharedCount(doc.tri) < need) continue;
          const sim = this.scorer.similarity(doc.tri);
          if (sim >= WORD_SIMILARITY_THRESHOLD) out.set(ord, sim);
        }
      }
    }
    // full-text matches below the threshold: similarity computed later, when it matters (−1)
    for (const ord of full) {
      if (!out.has(ord) && this.docs[ord]?.alive) out.set(ord, -1);
    }
    return out;
  }

  private evaluate(q: TsQuery): Set<number> {
    switch (q.op) {
      case 'term':
        return new Set(this.lexemes.get(q.lexeme)?.ords ?? []);
      case 'and': {
        const left = this.evaluate(q.left);
        if (q.right.op === 'not') {
          const excluded = this.evaluate(q.right.arg);
          return new Set([...left].filter((o) => !excluded.has(o)));
        }
        const right = this.evaluate(q.right);
        return new Set([...left].filter((o) => right.has(o)));
      }
      case 'or':
        return new Set([...this.evaluate(q.left), ...this.evaluate(q.right)]);
      case 'not': {
        const excluded = this.evaluate(q.arg);
        return new Set([...this.byId.values()].filter((o) => !excluded.has(o)));
      }
    }
  }

  private async parse(text: string, locale: string): Promise<ParsedText> {
    const cacheKey = `${locale}\u0000${text}`;
    let parsed = this.parsed.get(cacheKey);
    if (!parsed) {
      const [row]: { q: string; norm: string }[] = await this.opts.dataSource.query(
        'SELECT websearch_to_tsquery($1::regconfig, $2)::text AS q, lower(unaccent($2)) AS norm',
        [textSearchConfig(locale), text],
      );
      const query = parseTsquery(row?.q ?? '');
      parsed = { query, terms: queryTerms(query), norm: row?.norm ?? text.toLowerCase() };
      if (this.parsed.size >= 10_000) this.parsed.delete(this.parsed.keys().next().value as string);
      this.parsed.set(cacheKey, parsed);
    }
    return { ...parsed, locale, lower: text.toLowerCase() };
  }

  private categoryNumber(id: string): number {
    let n = this.categoryNumbers.get(id);
    if (n === undefined) {
      n = this.categoryIds.length;
      this.categoryNumbers.set(id, n);
      this.categoryIds.push(id);
    }
    return n;
  }

  /** 1 at the numbers of the category and its descendants. */
  private categoryMask(slug: string): Uint8Array {
    const mask = new Uint8Array(this.categoryIds.length);
    for (const id of this.categoryAndDescendants(slug)) {
      const n = this.categoryNumbers.get(id);
      if (n !== undefined) mask[n] = 1;
    }
    return mask;
  }

  private categoryAndDescendants(slug: string): Set<string> {
    const root = this.categoryBySlug.get(slug);
    const out = new Set<string>();
    if (!root) return out;
    out.add(root.id);
    for (let grew = true; grew; ) {
      grew = false;
      for (const c of this.categories.values()) {
        if (c.parent && out.has(c.parent) && !out.has(c.id)) {
          out.add(c.id);
          grew = true;
        }
      }
    }
    return out;
  }

  // --- maintenance -----------------------------------------------------------------------------

  private order(sort: string): number[] {
    if (!this.sorted) {
      const live = [...this.byId.values()];
      const by = (s: string) =>
        live
          .slice()
          .sort((a, b) =>
            compareKeys(
              this.keyOf(this.docs[a] as Doc, s, null, 0),
              this.keyOf(this.docs[b] as Doc, s, null, 0),
            ),
          );
      this.sorted = { newest: by('newest'), priceUp: by('price_asc'), priceDown: by('price_desc') };
    }
    return sort === 'price_asc'
      ? this.sorted.priceUp
      : sort === 'price_desc'
        ? this.sorted.priceDown
        : this.sorted.newest;
  }

  private async reload(): Promise<void> {
    const started = Date.now();
    const lookAt = await this.databaseNow();
    const [rows, categories] = await Promise.all([
      this.opts.dataSource.query(`${SELECT} WHERE p.status = 'active'`) as Promise<Row[]>,
      this.loadCategories(),
    ]);
    this.docs = [];
    this.prices = [];
    this.cats = [];
    this.live = [];
    this.byId = new Map();
    this.lexemes = new Map();
    this.trigramIds = new Map();
    this.attributeOrds = new Map();
    this.trigramPostings = [];
    this.dead = 0;
    this.setCategories(categories);
    this.applied = new Map();
    for (const row of rows) {
      this.add(row);
      this.applied.set(row.id, row.changed);
    }
    this.sorted = null;
    this.lookedAt = lookAt;
    this.lastReload = Date.now();
    this.opts.logger.info({ products: this.byId.size, ms: Date.now() - started }, 'search index loaded');
  }

  private async catchUp(): Promise<void> {
    const lookAt = await this.databaseNow();
    const from = new Date(this.lookedAt - this.overlapMs).toISOString();
    // first only ids and stamps: the overlap re-reads rows already applied, which need no full read
    const [stamps, categories] = await Promise.all([
      this.opts.dataSource.query(
        `SELECT id, to_char(search_changed_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS changed
           FROM catalog_products WHERE search_changed_at > $1`,
        [from],
      ) as Promise<{ id: string; changed: string }[]>,
      this.loadCategories(),
    ]);
    this.setCategories(categories);
    const stale = stamps.filter((r) => this.applied.get(r.id) !== r.changed);
    for (let i = 0; i < stale.length; i += 5000) {
      const rows: Row[] = await this.opts.dataSource.query(`${SELECT} WHERE p.id = ANY($1::uuid[])`, [
        stale.slice(i, i + 5000).map((r) => r.id),
      ]);
      for (const row of rows) {
        this.applied.set(row.id, row.changed);
        const held = this.byId.has(row.id);
        this.remove(row.id);
        if (row.status === 'active') this.add(row);
        if (held || row.status === 'active') this.sorted = null;
      }
    }
    this.lookedAt = lookAt;
    if (this.dead > 1000 && this.dead > this.byId.size) await this.reload();
  }

  /** The database's clock (stamps are written with it, not with this process's). */
  private async databaseNow(): Promise<number> {
    const [row]: { now: Date }[] = await this.opts.dataSource.query('SELECT clock_timestamp() AS now');
    return new Date(row?.now ?? Date.now()).getTime();
  }

  private setCategories(categories: Map<string, Category>): void {
    this.categories = categories;
    this.categoryBySlug = new Map([...categories.values()].map((c) => [c.slug, c]));
  }

  private async loadCategories(): Promise<Map<string, Category>> {
    const rows: { id: string; slug: string; parent_id: string | null }[] = await this.opts.dataSource.query(
      'SELECT id, slug, parent_id FROM catalog_categories',
    );
    return new Map(rows.map((r) => [r.id, { id: r.id, slug: r.slug, parent: r.parent_id }]));
  }

  private add(row: Row): void {
    const ord = this.docs.length;
    const tri = trigrams(row.search_text).map((t) => {
      let id = this.trigramIds.get(t);
      if (id === undefined) {
        id = this.trigramPostings.length;
        this.trigramIds.set(t, id);
        this.trigramPostings.push([]);
      }
      return id;
    });
    for (const id of new Set(tri)) this.trigramPostings[id]?.push(ord);
    for (const [name, value] of Object.entries(row.attributes)) {
      const key = attributeKey(name, value);
      const ords = this.attributeOrds.get(key);
      if (ords) ords.push(ord);
      else this.attributeOrds.set(key, [ord]);
    }
    for (const [lexeme, entry] of parseTsvector(row.doc)) {
      let posting = this.lexemes.get(lexeme);
      if (!posting) {
        posting = { ords: [], scores: [] };
        this.lexemes.set(lexeme, posting);
      }
      posting.ords.push(ord);
      posting.scores.push(rank(new Set([lexeme]), new Map([[lexeme, entry]])));
    }
    this.docs.push({
      ord,
      id: row.id,
      slug: row.slug,
      names: row.name,
      lowerNames: Object.fromEntries(Object.entries(row.name).map(([l, n]) => [l, n.toLowerCase()])),
      categoryId: row.category_id,
      cat: this.categoryNumber(row.category_id),
      price: row.price_amount === null ? null : Number(row.price_amount),
      created: row.created,
      attributes: row.attributes,
      skus: row.skus,
      tri: Uint32Array.from(tri),
      changed: row.changed,
      alive: true,
    });
    this.byId.set(row.id, ord);
    const doc = this.docs[ord] as Doc;
    this.prices.push(doc.price ?? Number.NaN);
    this.cats.push(doc.cat);
    this.live.push(1);
  }

  private remove(id: string): void {
    const ord = this.byId.get(id);
    if (ord === undefined) return;
    (this.docs[ord] as Doc).alive = false;
    this.live[ord] = 0;
    this.byId.delete(id);
    this.dead++;
  }
}

interface ParsedText {
  query: TsQuery | null;
  terms: Set<string>;
  /** lower(unaccent(text)) */
  norm: string;
  /** the text lower-cased, for the exact-name rule */
  lower: string;
  locale: string;
}

const attributeKey = (name: string, value: unknown): string => `${name}\u0000${JSON.stringify(value)}`;

/**
 * Whether a relevance hit with these exact-name and rank keys can still be on the page, whatever its
 * similarity: not before the cursor, and not after the page's last entry once the page is full.
 */
const mayEnter = (head: Key, bound: Key | null, page: readonly { key: Key }[], keep: number): boolean => {
  // compareKeys compares as many keys as `head` has
  if (bound && compareKeys(head, bound) < 0) return false;
  const last = page.length === keep ? page[keep - 1] : undefined;
  return !last || compareKeys(head, last.key) <= 0;
};

/** Reverses the order of fixed-width text (timestamps, uuids) so that "newest first" sorts ascending. */
const invert = (s: string): string => {
  let out = '';
  for (let i = 0; i < s.length; i++) out += String.fromCharCode(0xffff - s.charCodeAt(i));
  return out;
};

const bisect = (sorted: number[], value: number): number => {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((sorted[mid] as number) < value) lo = mid + 1;
    else hi = mid;
  }
  return lo;
};
