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
import type { PostgresSearchIndex } from '../postgres.search-index.js';
import { decodeCursor, encodeCursor, queryFingerprint } from '../search-cursor.codec.js';
import { CategoryTree } from './category-tree.service.js';
import { facetsOf } from './facets.rules.js';
import { filterOf } from './filters.rules.js';
import { IndexSync, type IndexSyncOptions } from './index-sync.service.js';
import { PostgresSource } from './postgres-source.store.js';
import type { Doc } from './postings.store.js';
import { mayEnter, relevanceHead, relevanceKey } from './ranking.policy.js';
import { compareKeys, cursorKey, type Key, listingKey, publicKey } from './sort-orders.rules.js';
import { type ParsedText, TextSearch } from './text-search.service.js';

export interface InMemorySearchIndexOptions extends IndexSyncOptions {
  dataSource: DataSource;
  /** writes the search columns that this index reads (documents stay PostgreSQL's) */
  documents: PostgresSearchIndex;
  defaultLocale: string;
  logger: Logger;
}

/**
 * The SearchIndex port in process memory, fed from PostgreSQL (the source of truth).
 *
 * Documents are PostgreSQL's: the `search_document` tsvector and the `search_text` trigram text that
 * the PostgreSQL adapter writes in the product's transaction. Queries are parsed by PostgreSQL too
 * (`websearch_to_tsquery` in the request language, `lower(unaccent())`), once per distinct text and
 * locale (text-search.service.ts). Matching, ranking, filters, facets, sorting and keyset paging run
 * here: posting lists per lexeme and per trigram (postings.store.ts) find the candidates, so a search
 * touches only the products that share words or trigrams with the query, and a listing walks a
 * pre-sorted array.
 *
 * Freshness (index-sync.service.ts): every instance follows `search_changed_at` every `pollMs`, and
 * `refresh()` — called by the admin use cases after their commit — looks at once, so the instance
 * that made a change lists it on the next request. See ADR 0022.
 *
 * This file composes the parts and runs one search: the page of the best `limit + 1` after the cursor,
 * the category facets and the next cursor.
 */
export class InMemorySearchIndex implements SearchIndex {
  private readonly tree = new CategoryTree();
  private readonly sync: IndexSync;
  private readonly text: TextSearch;

  constructor(private readonly opts: InMemorySearchIndexOptions) {
    const source = new PostgresSource(opts.dataSource);
    this.sync = new IndexSync(source, this.tree, opts.logger, opts);
    this.text = new TextSearch(source);
  }

  /** Loads the catalog and starts following its changes. */
  start(): Promise<void> {
    return this.sync.start();
  }

  stop(): void {
    this.sync.stop();
  }

  /** Catches up with every product change committed before the call (IndexSync.refresh). */
  refresh(): Promise<void> {
    return this.sync.refresh();
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
    const text = query.text ? await this.text.parse(query.text, query.locale) : null;
    // from here on nothing waits: the postings cannot change under the search
    const postings = this.sync.postings;
    const { defaultLocale } = this.opts;
    const sort = query.sort === 'relevance' && !text ? 'newest' : query.sort;
    const inCategory = query.category ? this.tree.mask(query.category) : null;
    const passes = filterOf(query, postings);
    const bound = after ? cursorKey(after.k, sort) : null;

    // candidates: the text matches, or (no text) every product in the sort's order
    const candidates = text ? this.text.matches(text, postings) : null;
    const facetCounts = new Int32Array(this.tree.size);

    const page: { doc: Doc; key: Key }[] = [];
    if (candidates) {
      // the best `limit + 1` after the cursor, kept sorted (insertion: the page is small, matches many)
      const keep = query.limit + 1;
      const relevance = sort === 'relevance';
      const { docs } = postings;
      const { scorer } = this.text;
      for (const [ord, known] of candidates) {
        if (!passes(ord)) continue;
        const doc = docs[ord] as Doc;
        facetCounts[doc.cat] = (facetCounts[doc.cat] as number) + 1;
        if (inCategory && inCategory[doc.cat] === 0) continue;
        // similarity is the third relevance key (and no key of the other sorts): a full-text match
        // gets it only if its exact-name and rank keys leave it a chance of the page
        let key: Key;
        if (relevance) {
          const head = relevanceHead(doc, text as ParsedText, postings, defaultLocale);
          if (known < 0 && !mayEnter(head, bound, page, keep)) continue;
          key = relevanceKey(head, known >= 0 ? known : scorer.similarity(doc.tri), doc);
        } else {
          key = listingKey(doc, sort);
        }
        if (bound && compareKeys(key, bound) <= 0) continue;
        if (page.length === keep && compareKeys(key, (page[keep - 1] as { key: Key }).key) >= 0) continue;
        let at = page.length;
        while (at > 0 && compareKeys(key, (page[at - 1] as { key: Key }).key) < 0) at--;
        page.splice(at, 0, { doc, key });
        if (page.length > keep) page.pop();
      }
    } else {
      const order = postings.ordered(sort === 'relevance' ? 'newest' : sort);
      // the scan reads contiguous arrays (and the filter its per-request marks); documents only for the page
      const { cats, live, docs } = postings;
      for (let i = 0; i < order.length; i++) {
        const ord = order[i] as number;
        if (live[ord] === 0 || !passes(ord)) continue;
        const cat = cats[ord] as number;
        facetCounts[cat] = (facetCounts[cat] as number) + 1;
        if (page.length > query.limit || (inCategory && inCategory[cat] === 0)) continue;
        const doc = docs[ord] as Doc;
        const key = listingKey(doc, sort);
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
      name: doc.names[query.locale] ?? doc.names[defaultLocale] ?? '',
      price: doc.price,
      category: this.tree.slugOf(doc.categoryId) ?? '',
      skus: doc.skus,
    }));
    return {
      items,
      nextCursor: hasMore && last ? encodeCursor(query.sort, fingerprint, publicKey(last.key, sort)) : null,
      facets: facetsOf(facetCounts, this.tree),
    };
  }

  /** Products in the index (for readiness checks and the benchmark). */
  get size(): number {
    return this.sync.postings.size;
  }
}
