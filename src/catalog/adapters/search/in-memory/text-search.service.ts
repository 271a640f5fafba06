import { WORD_SIMILARITY_THRESHOLD } from '../postgres.search-index.js';
import type { PostgresSource } from './postgres-source.store.js';
import type { Doc, PostingsStore } from './postings.store.js';
import { parseTsquery, queryTerms, TrigramScorer, type TsQuery, trigrams } from './text-match.rules.js';

/** A query text as PostgreSQL reads it, with what the relevance rules need. */
export interface ParsedText {
  query: TsQuery | null;
  terms: Set<string>;
  /** lower(unaccent(text)) */
  norm: string;
  /** the text lower-cased, for the exact-name rule */
  lower: string;
  locale: string;
}

/** Distinct texts (per locale) whose PostgreSQL reading is kept. */
const PARSED_TEXTS = 10_000;

/**
 * The text side of a search: a query text parsed by PostgreSQL (once per distinct text and locale, a
 * bounded map), and the products it matches — full-text through the lexeme postings, typos through
 * the trigram postings and word similarity — with their similarity.
 */
export class TextSearch {
  private readonly parsed = new Map<string, { query: TsQuery | null; terms: Set<string>; norm: string }>();
  /** set up for the last query matched, so that the caller can compute similarities it left out */
  readonly scorer = new TrigramScorer(1024);

  constructor(private readonly source: PostgresSource) {}

  async parse(text: string, locale: string): Promise<ParsedText> {
    const cacheKey = `${locale}\u0000${text}`;
    let parsed = this.parsed.get(cacheKey);
    if (!parsed) {
      const row = await this.source.analyse(text, locale);
      const query = parseTsquery(row?.q ?? '');
      parsed = { query, terms: queryTerms(query), norm: row?.norm ?? text.toLowerCase() };
      if (this.parsed.size >= PARSED_TEXTS) this.parsed.delete(this.parsed.keys().next().value as string);
      this.parsed.set(cacheKey, parsed);
    }
    return { ...parsed, locale, lower: text.toLowerCase() };
  }

  /**
   * Live products whose document matches the tsquery or whose names are word-similar to the text, with
   * their word similarity (−1: not computed yet — a full-text match below the threshold; the scorer is
   * left set up for this query so that the caller can compute it).
   */
  matches(text: ParsedText, postings: PostingsStore): Map<number, number> {
    const out = new Map<number, number>();
    const { docs, trigramIds, trigramPostings } = postings;
    // a one-word query (the usual case) is its posting list as it stands; others are evaluated
    const full: Iterable<number> = !text.query
      ? []
      : text.query.op === 'term'
        ? postings.withLexeme(text.query.lexeme)
        : postings.evaluate(text.query);
    const q = new Set<number>();
    let unknown = 0;
    for (const t of new Set(trigrams(text.norm))) {
      const id = trigramIds.get(t);
      if (id === undefined) unknown++;
      else q.add(id);
    }
    const size = q.size + unknown;
    const ids = [...q];
    this.scorer.reset(ids, size, trigramPostings.length);
    // Prefix filtering: a product reaching the threshold shares at least `need` of the |Q| trigrams,
    // so it shares one of the |Q| − need + 1 rarest. Trigrams in no product are the rarest of all (and
    // share nothing); the common ones (a third of all names start with "s") are never walked. Each
    // candidate's shared count is checked before its similarity is computed.
    const need = Math.ceil(WORD_SIMILARITY_THRESHOLD * size);
    const prefix = size - need + 1 - unknown;
    if (size > 0 && prefix > 0) {
      const length = (id: number) => trigramPostings[id]?.length ?? 0;
      const rarest = ids
        .slice()
        .sort((a, b) => length(a) - length(b))
        .slice(0, prefix);
      const seen = new Uint8Array(docs.length);
      for (const id of rarest) {
        for (const ord of trigramPostings[id] ?? []) {
          if (seen[ord] === 1) continue;
          seen[ord] = 1;
          const doc = docs[ord] as Doc;
          if (!doc.alive || this.scorer.sharedCount(doc.tri) < need) continue;
          const sim = this.scorer.similarity(doc.tri);
          if (sim >= WORD_SIMILARITY_THRESHOLD) out.set(ord, sim);
        }
      }
    }
    // full-text matches below the threshold: similarity computed later, when it matters (−1)
    for (const ord of full) {
      if (!out.has(ord) && docs[ord]?.alive) out.set(ord, -1);
    }
    return out;
  }
}
