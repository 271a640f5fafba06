import type { ProductRow } from './postgres-source.store.js';
import { compareKeys, type ListingSort, listingKey } from './sort-orders.rules.js';
import { parseTsvector, rank, type TsQuery, trigrams } from './text-match.rules.js';

/** One active product as the index holds it. */
export interface Doc {
  /** its number: index into `docs` and the per-document arrays */
  ord: number;
  id: string;
  slug: string;
  names: Record<string, string>;
  /** the names lower-cased, for the exact-name rule of relevance */
  lowerNames: Record<string, string>;
  categoryId: string;
  /** the category's number (facets count into an array) */
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

/** The posting key of one attribute value. */
const attributeKey = (name: string, value: unknown): string => `${name}\u0000${JSON.stringify(value)}`;

/**
 * The documents of the active products in process memory and their posting lists: per lexeme (with
 * each document's rank for it), per trigram and per attribute value, plus contiguous per-document
 * arrays for the listing scan and the listing orders, sorted once per change. Documents are numbered
 * in the order they are added; a removed one stays as a dead number until the next reload (a new
 * store).
 */
export class PostingsStore {
  readonly docs: Doc[] = [];
  /** per document number, contiguous for the listing scan: lowest price (NaN: none), category number, live (1/0) */
  readonly prices: number[] = [];
  readonly cats: number[] = [];
  readonly live: number[] = [];
  readonly byId = new Map<string, number>();
  readonly lexemes = new Map<string, { ords: number[]; scores: number[] }>();
  readonly trigramIds = new Map<string, number>();
  /** per interned trigram: the numbers of the documents having it */
  readonly trigramPostings: number[][] = [];
  /** `name\u0000JSON value` → document numbers having that attribute value */
  private readonly attributeOrds = new Map<string, number[]>();
  /** documents removed since the store was built */
  dead = 0;
  private sorted: Record<ListingSort, number[]> | null = null;

  /** Live products in the store. */
  get size(): number {
    return this.byId.size;
  }

  has(id: string): boolean {
    return this.byId.has(id);
  }

  /** Adds an active product whose category has number `cat`. */
  add(row: ProductRow, cat: number): void {
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
      cat,
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
    this.sorted = null;
  }

  /** Takes a product out (its number stays, dead); nothing for one the store does not hold. */
  remove(id: string): void {
    const ord = this.byId.get(id);
    if (ord === undefined) return;
    (this.docs[ord] as Doc).alive = false;
    this.live[ord] = 0;
    this.byId.delete(id);
    this.dead++;
    this.sorted = null;
  }

  /** The numbers of the documents having this attribute value (as stored: string, number or boolean). */
  withAttribute(name: string, value: unknown): readonly number[] {
    return this.attributeOrds.get(attributeKey(name, value)) ?? [];
  }

  /** The numbers of the documents having this lexeme, ascending. */
  withLexeme(lexeme: string): readonly number[] {
    return this.lexemes.get(lexeme)?.ords ?? [];
  }

  /** The documents matching a tsquery (live or not: the caller checks). */
  evaluate(q: TsQuery): Set<number> {
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

  /** ts_rank of a document for a query's terms: the mean of its per-lexeme ranks. */
  rankOf(ord: number, terms: ReadonlySet<string>): number {
    let res = 0;
    for (const term of terms) {
      const posting = this.lexemes.get(term);
      if (!posting) continue;
      const i = bisect(posting.ords, ord);
      if (posting.ords[i] === ord) res += posting.scores[i] as number;
    }
    return res / Math.max(terms.size, 1);
  }

  /** The live documents in a listing order (sorted on first use after a change). */
  ordered(sort: ListingSort): number[] {
    if (!this.sorted) {
      const live = [...this.byId.values()];
      const by = (s: ListingSort) =>
        live
          .slice()
          .sort((a, b) =>
            compareKeys(listingKey(this.docs[a] as Doc, s), listingKey(this.docs[b] as Doc, s)),
          );
      this.sorted = { newest: by('newest'), price_asc: by('price_asc'), price_desc: by('price_desc') };
    }
    return this.sorted[sort];
  }
}

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
