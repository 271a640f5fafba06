/**
 * PostgreSQL's text-search and pg_trgm semantics, evaluated in process by the in-memory search index.
 * PostgreSQL still does the language work — documents are its `tsvector`s (`search_document`) and its
 * lower-cased, unaccented names (`search_text`); queries are its `websearch_to_tsquery` output — so
 * stemming, stop words and accents are exactly the database's. What runs here is matching and scoring.
 */

/** Lexeme → positions (1-based, in document order) and their weights (3 = A … 0 = D). */
export type Lexemes = Map<string, { pos: number[]; w: number[] }>;

const WEIGHT_LETTER: Record<string, number> = { A: 3, B: 2, C: 1, D: 0 };
/** ts_rank's default weights for D, C, B, A */
const RANK_WEIGHTS = [0.1, 0.2, 0.4, 1.0];

/** Parses the text form of a tsvector: `'lexeme':1A,5 'other':3B`. */
export const parseTsvector = (text: string): Lexemes => {
  const out: Lexemes = new Map();
  const re = /'((?:[^']|'')*)'(?::([0-9A-D,]+))?/g;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    const lexeme = (m[1] ?? '').replaceAll("''", "'");
    const entry = { pos: [] as number[], w: [] as number[] };
    for (const p of (m[2] ?? '').split(',').filter(Boolean)) {
      const letter = /[A-D]$/.exec(p)?.[0] ?? 'D';
      entry.pos.push(Number.parseInt(p, 10));
      entry.w.push(WEIGHT_LETTER[letter] ?? 0);
    }
    out.set(lexeme, entry);
  }
  return out;
};

/** A parsed tsquery: lexemes with &, |, ! and <-> (a phrase; matched as "all of its words"). */
export type TsQuery =
  | { op: 'term'; lexeme: string }
  | { op: 'and' | 'or'; left: TsQuery; right: TsQuery }
  | { op: 'not'; arg: TsQuery };

/**
 * Parses the text form of a tsquery as `websearch_to_tsquery` produces it (`'a' & ( 'b' | !'c' )`,
 * `'a' <-> 'b'`). Returns null for an empty query (only stop words), which matches nothing.
 */
export const parseTsquery = (text: string): TsQuery | null => {
  const tokens = text.match(/'(?:[^']|'')*'|<\d*->|[&|!()]/g) ?? [];
  let i = 0;
  const primary = (): TsQuery => {
    const t = tokens[i++];
    if (t === '!') return { op: 'not', arg: primary() };
    if (t === '(') {
      const inner = or();
      i++; // ')'
      return inner;
    }
    return { op: 'term', lexeme: (t ?? "''").slice(1, -1).replaceAll("''", "'") };
  };
  const and = (): TsQuery => {
    let left = primary();
    while (tokens[i] === '&' || tokens[i]?.startsWith('<')) {
      i++;
      left = { op: 'and', left, right: primary() };
    }
    return left;
  };
  const or = (): TsQuery => {
    let left = and();
    while (tokens[i] === '|') {
      i++;
      left = { op: 'or', left, right: and() };
    }
    return left;
  };
  return tokens.length === 0 ? null : or();
};

export const matches = (q: TsQuery, doc: Lexemes): boolean => {
  switch (q.op) {
    case 'term':
      return doc.has(q.lexeme);
    case 'and':
      return matches(q.left, doc) && matches(q.right, doc);
    case 'or':
      return matches(q.left, doc) || matches(q.right, doc);
    case 'not':
      return !matches(q.arg, doc);
  }
};

/** The positive lexemes of a query (what ranking counts). */
export const queryTerms = (q: TsQuery | null, out = new Set<string>()): Set<string> => {
  if (!q || q.op === 'not') return out;
  if (q.op === 'term') out.add(q.lexeme);
  else {
    queryTerms(q.left, out);
    queryTerms(q.right, out);
  }
  return out;
};

/**
 * ts_rank's per-term formula (PostgreSQL's calc_rank_or, normalization 0): each matching term adds
 * its positions' weights with a harmonic decay, so a term said often and in heavy fields ranks higher.
 * For a query of several terms PostgreSQL also weighs their distance; this does not.
 */
export const rank = (terms: Set<string>, doc: Lexemes): number => {
  let res = 0;
  for (const term of terms) {
    const entry = doc.get(term);
    if (!entry) continue;
    // in position order, like PostgreSQL (which notes that sorting by weight would be more correct)
    const weights = entry.w.map((w) => RANK_WEIGHTS[w] ?? 0.1);
    let resj = 0;
    let wjm = -1;
    let jm = 0;
    weights.forEach((wpos, j) => {
      resj += wpos / ((j + 1) * (j + 1));
      if (wpos > wjm) {
        wjm = wpos;
        jm = j;
      }
    });
    res += (wjm + resj - wjm / ((jm + 1) * (jm + 1))) / 1.64493406685;
  }
  return res / Math.max(terms.size, 1);
};

/** pg_trgm's trigrams of a string, in order, duplicates kept: each word padded with "  " before and " " after. */
export const trigrams = (text: string): string[] => {
  const out: string[] = [];
  for (const word of text.match(/[\p{L}\p{N}]+/gu) ?? []) {
    const padded = `  ${word} `;
    const chars = [...padded];
    for (let i = 0; i + 3 <= chars.length; i++) out.push(chars.slice(i, i + 3).join(''));
  }
  return out;
};

/**
 * pg_trgm's `word_similarity(query, text)` for one query against many texts: the greatest similarity
 * between the query's trigram set Q and any continuous extent E of the text's trigram sequence,
 * |Q ∩ E| / |Q ∪ E| (E's distinct trigrams). Trigrams are interned ids below `universe`; texts are
 * their ids in order. Scratch arrays are reused across texts (and queries, via `reset`), so scoring
 * allocates nothing.
 */
export class TrigramScorer {
  private inQuery: Uint8Array;
  private seen: Uint32Array;
  private stamp = 0;
  private querySize = 0;
  private ids: number[] = [];

  constructor(universe: number) {
    this.inQuery = new Uint8Array(universe);
    this.seen = new Uint32Array(universe);
  }

  /** Starts a query: its distinct trigram ids, and |Q| counting trigrams that occur in no text. */
  reset(query: readonly number[], querySize: number, universe: number): void {
    if (universe > this.inQuery.length) {
      this.inQuery = new Uint8Array(universe * 2);
      this.seen = new Uint32Array(universe * 2);
      this.stamp = 0;
    }
    for (const id of this.ids) this.inQuery[id] = 0;
    for (const id of query) this.inQuery[id] = 1;
    this.ids = [...query];
    this.querySize = querySize;
  }

  /** A new mark for `seen` (the array is cleared when the marks run out). */
  private nextStamp(): number {
    if (++this.stamp === 0xffffffff) {
      this.seen.fill(0);
      this.stamp = 1;
    }
    return this.stamp;
  }

  /** How many distinct query trigrams the text has (an upper bound of any extent's |Q ∩ E|). */
  sharedCount(text: ArrayLike<number>): number {
    const { inQuery, seen } = this;
    const stamp = this.nextStamp();
    let shared = 0;
    for (let i = 0; i < text.length; i++) {
      const t = text[i] as number;
      if (inQuery[t] === 1 && seen[t] !== stamp) {
        seen[t] = stamp;
        shared++;
      }
    }
    return shared;
  }

  similarity(text: ArrayLike<number>): number {
    const { inQuery, seen } = this;
    if (this.querySize === 0) return 0;
    let best = 0;
    for (let s = 0; s < text.length; s++) {
      // an extent that starts or ends on a trigram the query lacks is never better than one that does not
      if (inQuery[text[s] as number] === 0) continue;
      const stamp = this.nextStamp();
      let shared = 0;
      let distinct = 0;
      for (let e = s; e < text.length; e++) {
        // with `distinct` ≥ |Q| no longer extent scores above |Q| / distinct: stop once that is ≤ best
        if (distinct * best >= this.querySize) break;
        const t = text[e] as number;
        const q = inQuery[t] === 1;
        if (seen[t] !== stamp) {
          seen[t] = stamp;
          distinct++;
          if (q) shared++;
        }
        if (q) {
          const sim = shared / (this.querySize + distinct - shared);
          if (sim > best) best = sim;
        }
      }
      if (best === 1) break;
    }
    return best;
  }
}
