import { createHash } from 'node:crypto';
import { isCursorId, jsonCursor } from '../../../platform/http/keyset-cursor.js';
import {
  InvalidCursorError,
  type ProductSearchQuery,
  type ProductSort,
} from '../../application/search-index.port.js';

/**
 * The opaque keyset cursor of the search adapters: the sort, a fingerprint of the query it belongs to
 * and the sort key of the last item returned, as JSON in the platform's opaque cursor (base64url;
 * platform/http/keyset-cursor.ts).
 */
export interface Cursor {
  v: 1;
  /** sort */
  s: ProductSort;
  /** fingerprint of the query the cursor belongs to */
  f: string;
  /** sort key of the last item returned */
  k: (string | number)[];
}

/** Everything but the cursor and the limit: a cursor only continues the listing it came from. */
export const queryFingerprint = (q: ProductSearchQuery): string => {
  const shape = [q.text, q.locale, q.category, q.minPrice, q.maxPrice, q.attributes, q.sort];
  return createHash('sha256').update(JSON.stringify(shape)).digest('base64url').slice(0, 16);
};

export const encodeCursor = (sort: ProductSort, fingerprint: string, keys: (string | number)[]): string => {
  const cursor: Cursor = { v: 1, s: sort, f: fingerprint, k: keys };
  return jsonCursor.encode(cursor);
};

/** The cursor of `raw`, checked against the query it is used with; InvalidCursorError otherwise. */
export const decodeCursor = (raw: string, sort: ProductSort, fingerprint: string): Cursor => {
  const cursor = jsonCursor.decode(raw) as Cursor | null | undefined;
  const valid =
    typeof cursor === 'object' &&
    cursor !== null &&
    cursor.v === 1 &&
    Array.isArray(cursor.k) &&
    cursor.k.every((k) => typeof k === 'string' || (typeof k === 'number' && Number.isFinite(k)));
  if (!valid || !cursor) throw new InvalidCursorError();
  if (cursor.s !== sort || cursor.f !== fingerprint) {
    throw new InvalidCursorError('belongs to a different query; start again without a cursor');
  }
  if (!keysFit(cursor.k, sort)) throw new InvalidCursorError();
  return cursor;
};

/** The cursor's key values have the shapes the sort needs (they are bound as typed parameters). */
const keysFit = (keys: (string | number)[], sort: ProductSort): boolean => {
  if (!isCursorId(keys[keys.length - 1])) return false;
  const head = keys.slice(0, -1);
  switch (sort) {
    case 'relevance':
      return (
        (head.length === 3 && head.every((k) => typeof k === 'number')) ||
        // relevance without a text runs as newest
        (head.length === 1 && typeof head[0] === 'string' && !Number.isNaN(Date.parse(head[0])))
      );
    case 'price_asc':
    case 'price_desc':
      return head.length === 1 && /^-?\d{1,19}$/.test(String(head[0]));
    case 'newest':
      return head.length === 1 && typeof head[0] === 'string' && !Number.isNaN(Date.parse(head[0]));
  }
};
