import type { Doc, PostingsStore } from './postings.store.js';
import { compareKeys, type Key } from './sort-orders.rules.js';
import type { ParsedText } from './text-search.service.js';

/**
 * Relevance, as the PostgreSQL adapter orders it, as an ascending key: [exact name match (−1/0),
 * −ts_rank, −word similarity, id]. The exact name is the product's name in the request locale (else
 * the default locale) equal to the query text, case-insensitively.
 */
export const relevanceHead = (
  doc: Doc,
  text: ParsedText,
  postings: PostingsStore,
  defaultLocale: string,
): [number, number] => {
  const name = doc.lowerNames[text.locale] ?? doc.lowerNames[defaultLocale] ?? '';
  return [name === text.lower ? -1 : 0, -postings.rankOf(doc.ord, text.terms)];
};

/** The whole relevance key from its head (relevanceHead) and the word similarity. */
export const relevanceKey = (head: [number, number], similarity: number, doc: Doc): Key => [
  head[0],
  head[1],
  -similarity,
  doc.id,
];

/**
 * Whether a relevance hit with these exact-name and rank keys can still be on the page, whatever its
 * similarity: not before the cursor, and not after the page's last entry once the page is full.
 */
export const mayEnter = (
  head: Key,
  bound: Key | null,
  page: readonly { key: Key }[],
  keep: number,
): boolean => {
  // compareKeys compares as many keys as `head` has
  if (bound && compareKeys(head, bound) < 0) return false;
  const last = page.length === keep ? page[keep - 1] : undefined;
  return !last || compareKeys(head, last.key) <= 0;
};
