/** A sort key: compared element by element, ascending. */
export type Key = (string | number)[];

/** A listing order of the in-memory index (relevance is built by ranking.policy.ts). */
export type ListingSort = 'newest' | 'price_asc' | 'price_desc';

/** What the listing orders look at of a document. */
export interface SortedFields {
  id: string;
  /** lowest variant price, null for none */
  price: number | null;
  /** created_at, UTC, microseconds: sorts as text */
  created: string;
}

/** Higher than any price: products without a price sort last going up (as in the PostgreSQL adapter). */
const NO_PRICE_UP = 9e18;

/** Compares as many elements as `a` has. */
export const compareKeys = (a: Key, b: Key): number => {
  for (let i = 0; i < a.length; i++) {
    const x = a[i] as string | number;
    const y = b[i] as string | number;
    if (x < y) return -1;
    if (x > y) return 1;
  }
  return 0;
};

/**
 * The sort keys of the listing orders, all ascending: price [price or "none" last, id]; newest
 * [inverted created_at, inverted id] so that one ascending comparison serves every sort.
 */
export const listingKey = (doc: SortedFields, sort: string): Key => {
  switch (sort) {
    case 'price_asc':
      return [doc.price ?? NO_PRICE_UP, doc.id];
    case 'price_desc':
      return [-(doc.price ?? -1), doc.id];
    default:
      return [invert(doc.created), invert(doc.id)];
  }
};

/** The key as the cursor carries it (newest: the plain created_at and id, like the PostgreSQL adapter). */
export const publicKey = (key: Key, sort: string): Key =>
  sort === 'newest' ? key.map((k) => invert(String(k))) : key;

/** A cursor's key values as the sort compares them (the inverse of publicKey). */
export const cursorKey = (keys: Key, sort: string): Key => {
  if (sort === 'newest') return keys.map((v) => invert(String(v)));
  if (sort === 'price_asc' || sort === 'price_desc') return [Number(keys[0]), keys[1] as string];
  return keys;
};

/** Reverses the order of fixed-width text (timestamps, uuids) so that "newest first" sorts ascending. */
const invert = (s: string): string => {
  let out = '';
  for (let i = 0; i < s.length; i++) out += String.fromCharCode(0xffff - s.charCodeAt(i));
  return out;
};
