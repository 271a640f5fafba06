import type { FastifyReply, FastifyRequest } from 'fastify';
import type { CachedBody } from '../../application/catalog.cache.js';

/** The region locale to answer in: `?locale=`, else the best Accept-Language match, else the default. */
export const resolveLocale = (
  explicit: string | undefined,
  acceptLanguage: string | undefined,
  locales: readonly string[],
): string => {
  const match = (tag: string): string | undefined => {
    const primary = tag.trim().toLowerCase().split('-')[0] ?? '';
    return locales.find((l) => l === primary);
  };
  if (explicit) return match(explicit) ?? locales[0]!;
  if (acceptLanguage) {
    const ranked = acceptLanguage
      .split(',')
      .map((part, index) => {
        const [tag = '', ...params] = part.trim().split(';');
        const q = params.map((p) => /^\s*q=([0-9.]+)\s*$/i.exec(p)?.[1]).find(Boolean);
        return { tag, q: q === undefined ? 1 : Number(q), index };
      })
      .filter((c) => c.tag && c.tag !== '*' && c.q > 0 && !Number.isNaN(c.q))
      .sort((a, b) => b.q - a.q || a.index - b.index);
    for (const c of ranked) {
      const found = match(c.tag);
      if (found) return found;
    }
  }
  return locales[0]!;
};

/** RFC 9110 If-None-Match: weak comparison, a list of tags, or `*`. */
export const ifNoneMatchHits = (header: string | undefined, etag: string): boolean => {
  if (!header) return false;
  if (header.trim() === '*') return true;
  const opaque = (tag: string) => tag.trim().replace(/^W\//, '');
  const mine = opaque(etag);
  return header.split(',').some((tag) => opaque(tag) === mine);
};

export interface HttpCachePolicy {
  /** Cache-Control of storefront catalog answers */
  cacheControl: string;
}

/**
 * Sends a cached body with its validators: 304 without a body when the client already has it.
 * Localised answers vary by Accept-Language, so shared caches keep them apart.
 */
export const sendCached = (
  request: FastifyRequest,
  reply: FastifyReply,
  cached: CachedBody,
  policy: HttpCachePolicy,
  locale: string,
) => {
  reply
    .header('etag', cached.etag)
    .header('cache-control', policy.cacheControl)
    .header('vary', 'Accept-Language')
    .header('content-language', locale);
  if (ifNoneMatchHits(request.headers['if-none-match'], cached.etag)) {
    return reply.code(304).send();
  }
  return reply.type('application/json; charset=utf-8').send(cached.body);
};
