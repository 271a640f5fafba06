import type { ProductSearchQuery } from '../../../application/search-index.port.js';
import { attributeCandidates } from '../postgres.search-index.js';
import type { PostingsStore } from './postings.store.js';

/**
 * The price and attribute filters of a query, by document number. A product's price is its lowest
 * variant price; one without a price passes no price bound. Attributes go through their postings: a
 * document passes when, for every named attribute, one of the accepted values is among its own (`true`
 * and numbers also match boolean and number values — attributeCandidates); a per-request array marks
 * how many attributes each document has passed so far.
 */
export const filterOf = (query: ProductSearchQuery, postings: PostingsStore): ((ord: number) => boolean) => {
  const { minPrice, maxPrice } = query;
  const low = minPrice ?? Number.NEGATIVE_INFINITY;
  const high = maxPrice ?? Number.POSITIVE_INFINITY;
  const priced = minPrice !== null || maxPrice !== null;
  const names = Object.keys(query.attributes);
  let passed: Uint8Array | null = null;
  if (names.length > 0) {
    passed = new Uint8Array(postings.docs.length);
    names.forEach((name, i) => {
      for (const value of query.attributes[name] ?? []) {
        for (const candidate of attributeCandidates(name, value)) {
          for (const ord of postings.withAttribute(name, candidate[name])) {
            if ((passed as Uint8Array)[ord] === i) (passed as Uint8Array)[ord] = i + 1;
          }
        }
      }
    });
  }
  const all = names.length;
  const { prices } = postings;
  return (ord) => {
    if (priced) {
      const price = prices[ord] as number;
      if (!(price >= low && price <= high)) return false;
    }
    return passed === null || passed[ord] === all;
  };
};
