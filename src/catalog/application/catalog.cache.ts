import { createHash, randomUUID } from 'node:crypto';
import type { Cache } from '../../platform/cache/cache.js';
import { CacheAside, type CacheAsideOptions, type CacheCodec } from '../../platform/cache/cache-aside.js';
import type { Id } from '../../platform/ids.js';

/** A response body as served, with its strong validator. */
export interface CachedBody {
  readonly body: string;
  readonly etag: string;
}

export interface CatalogCacheTtls {
  /** product detail (default 30 s) */
  productSeconds: number;
  /** listing pages (default 15 s) */
  listingSeconds: number;
  /** the category tree (default 60 s) */
  categoriesSeconds: number;
}

export const DEFAULT_CATALOG_CACHE_TTLS: CatalogCacheTtls = {
  productSeconds: 30,
  listingSeconds: 15,
  categoriesSeconds: 60,
};

export interface CatalogCacheOptions {
  cache: Cache;
  metrics?: CacheAsideOptions['metrics'];
  logger?: CacheAsideOptions['logger'];
  /** the region's locales: a product is cached once per locale */
  locales: readonly string[];
  ttls?: Partial<CatalogCacheTtls>;
  /** every invalidation is repeated once after this delay (default 1000 ms); see docs/catalog.md */
  repeatAfterMs?: number;
  now?: () => number;
}

export interface ProductRef {
  id: Id;
  /** every slug the product was reachable under (old and new, after a slug change) */
  slugs: readonly string[];
}

/** Bump when the shape of a cached view changes, so that a deploy never serves the old shape. */
const VIEW_VERSION = 'v1';
const PREFIX = `catalog:${VIEW_VERSION}`;
const GENERATION_KEY = `${PREFIX}:lgen`;
const GENERATION_TTL_SECONDS = 24 * 60 * 60;

/** ETag and body in one string, so that a hit is one GET and no JSON parsing. */
const bodyCodec: CacheCodec<CachedBody> = {
  encode: (v) => `${v.etag}\n${v.body}`,
  decode: (raw) => {
    const nl = raw.indexOf('\n');
    return nl <= 0 ? undefined : { etag: raw.slice(0, nl), body: raw.slice(nl + 1) };
  },
};
const textCodec: CacheCodec<string> = { encode: (v) => v, decode: (raw) => raw };

/** A strong validator: a hash of the exact bytes served. */
export const etagOf = (body: string): string =>
  `"${createHash('sha256').update(body).digest('base64url').slice(0, 32)}"`;

export const toCachedBody = (view: unknown): CachedBody => {
  const body = JSON.stringify(view);
  return { body, etag: etagOf(body) };
};

/**
 * The storefront read cache of the catalog, cache-aside over the Cache port (Redis in full mode).
 *
 * - Product detail: one key per product reference (id and slug alike) and locale, holding the body and
 *   its ETag together, so that a hit costs exactly one GET.
 * - Listing pages: keyed by a "generation" token plus a hash of the normalised query; any change to what
 *   listings show replaces the generation, which orphans every page at once (they expire by TTL).
 * - Category tree: one key per locale.
 *
 * Invalidation deletes (or bumps) at once and once more `repeatAfterMs` later, which removes an entry
 * that a reader loaded from the database before the change committed and stored after the first
 * delete. A delete that fails (Redis away) is retried and, until it succeeds or the TTL has passed,
 * this instance reads the affected keys from Postgres: it never serves what it failed to invalidate.
 * Any cache failure on a read falls back to Postgres (counted as cache_operations_total{result="error"}).
 */
export class CatalogCache {
  readonly ttls: CatalogCacheTtls;
  private readonly products: CacheAside<CachedBody>;
  private readonly listings: CacheAside<CachedBody>;
  private readonly categoryTree: CacheAside<CachedBody>;
  private readonly generations: CacheAside<string>;
  /** deletes and generation bumps, counted apart from the reads */
  private readonly invalidations: CacheAside<string>;
  private readonly repeatAfterMs: number;
  private readonly now: () => number;
  /** keys whose invalidation failed → until when this instance must not read them from the cache */
  private readonly unsettled = new Map<string, number>();
  private listingsUnsettledUntil = 0;
  private readonly timers = new Set<NodeJS.Timeout>();
  private closed = false;

  constructor(private readonly opts: CatalogCacheOptions) {
    this.ttls = { ...DEFAULT_CATALOG_CACHE_TTLS, ...opts.ttls };
    this.repeatAfterMs = opts.repeatAfterMs ?? 1000;
    this.now = opts.now ?? Date.now;
    const base = { cache: opts.cache, metrics: opts.metrics, logger: opts.logger, now: this.now };
    this.products = new CacheAside({ ...base, name: 'catalog_product' }, bodyCodec);
    this.listings = new CacheAside({ ...base, name: 'catalog_listing' }, bodyCodec);
    this.categoryTree = new CacheAside({ ...base, name: 'catalog_categories' }, bodyCodec);
    this.generations = new CacheAside({ ...base, name: 'catalog_generation' }, textCodec);
    this.invalidations = new CacheAside({ ...base, name: 'catalog_invalidation' }, textCodec);
  }

  static productKey(ref: string, locale: string): string {
    return `${PREFIX}:p:${locale}:${ref.toLowerCase()}`;
  }

  static categoriesKey(locale: string): string {
    return `${PREFIX}:c:${locale}`;
  }

  /** Product detail by id or slug; `load` returns the view, or null when there is no such active product. */
  async product(
    ref: string,
    locale: string,
    load: () => Promise<unknown | null>,
  ): Promise<CachedBody | null> {
    const key = CatalogCache.productKey(ref, locale);
    if (this.isUnsettled(key)) {
      this.products.bypassed();
      const view = await load();
      return view === null ? null : toCachedBody(view);
    }
    const hit = await this.products.get(key);
    if (hit) return hit;
    const view = await load();
    if (view === null) return null; // "not found" is not cached: creating the product needs no invalidation
    const entry = toCachedBody(view);
    await this.products.set(key, entry, this.ttls.productSeconds);
    return entry;
  }

  /**
   * A listing page; `fingerprint` is the normalised query (every parameter that changes the body).
   * `load` gets the listing generation it computes for (undefined when the cache cannot tell): a new
   * generation means some instance changed what listings show.
   */
  async listing(
    fingerprint: string,
    locale: string,
    load: (generation: string | undefined) => Promise<unknown>,
  ): Promise<CachedBody> {
    if (this.now() < this.listingsUnsettledUntil) {
      this.listings.bypassed();
      return toCachedBody(await load(undefined));
    }
    const generation = await this.generation();
    if (generation === undefined) return toCachedBody(await load(undefined));
    const hash = createHash('sha256').update(fingerprint).digest('base64url').slice(0, 32);
    const key = `${PREFIX}:l:${generation}:${locale}:${hash}`;
    return this.listings.getOrLoad(key, this.ttls.listingSeconds, async () =>
      toCachedBody(await load(generation)),
    );
  }

  async categories(locale: string, load: () => Promise<unknown>): Promise<CachedBody> {
    const key = CatalogCache.categoriesKey(locale);
    if (this.isUnsettled(key)) {
      this.categoryTree.bypassed();
      return toCachedBody(await load());
    }
    return this.categoryTree.getOrLoad(key, this.ttls.categoriesSeconds, async () =>
      toCachedBody(await load()),
    );
  }

  /** Products changed (data, status or price): their detail entries go, and listings when `listings`. */
  async productsChanged(refs: readonly ProductRef[], opts: { listings: boolean }): Promise<void> {
    const keys = new Set<string>();
    for (const ref of refs) {
      for (const r of [ref.id, ...ref.slugs]) {
        for (const locale of this.opts.locales) keys.add(CatalogCache.productKey(r, locale));
      }
    }
    await this.invalidate([...keys], opts.listings, this.ttls.productSeconds);
  }

  /** Something every listing may show changed (e.g. the category tree). */
  async listingsChanged(): Promise<void> {
    await this.invalidate([], true, 0);
  }

  async categoriesChanged(): Promise<void> {
    const keys = this.opts.locales.map((l) => CatalogCache.categoriesKey(l));
    await this.invalidate(keys, true, this.ttls.categoriesSeconds);
  }

  /** Stops the repeated invalidations (the app is closing). */
  close(): void {
    this.closed = true;
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
  }

  private async invalidate(keys: string[], listings: boolean, keyTtlSeconds: number): Promise<void> {
    if (await this.attempt(keys, listings, keyTtlSeconds, null)) {
      this.later(async () => {
        await this.attempt(keys, listings, keyTtlSeconds, null);
      });
    }
  }

  /**
   * One try at deleting the keys and/or bumping the listing generation. What fails stays unsettled (this
   * instance reads it from the source) and is retried every `repeatAfterMs` until the deadline: a stale
   * entry that the failed delete left behind expires by its TTL at the latest. True when all succeeded.
   */
  private async attempt(
    keys: string[],
    listings: boolean,
    keyTtlSeconds: number,
    deadline: { keys: number; listings: number } | null,
  ): Promise<boolean> {
    const now = this.now();
    const until = deadline ?? {
      keys: now + keyTtlSeconds * 1000,
      listings: now + this.ttls.listingSeconds * 1000,
    };
    const liveKeys = now < until.keys ? keys : [];
    const liveListings = listings && now < until.listings;
    if (liveKeys.length === 0 && !liveListings) return true;
    const [deleted, bumped] = await Promise.all([
      liveKeys.length > 0 ? this.invalidations.del(...liveKeys) : Promise.resolve(true),
      liveListings ? this.invalidations.set(GENERATION_KEY, randomUUID(), GENERATION_TTL_SECONDS) : true,
    ]);
    if (deleted) {
      for (const k of liveKeys) this.unsettled.delete(k);
    } else {
      for (const k of liveKeys) this.unsettled.set(k, Math.max(this.unsettled.get(k) ?? 0, until.keys));
    }
    if (liveListings) {
      this.listingsUnsettledUntil = bumped ? 0 : Math.max(this.listingsUnsettledUntil, until.listings);
    }
    const retryKeys = deleted ? [] : liveKeys;
    const retryListings = liveListings && !bumped;
    if (retryKeys.length > 0 || retryListings) {
      this.later(async () => {
        await this.attempt(retryKeys, retryListings, keyTtlSeconds, until);
      });
    }
    return deleted && bumped;
  }

  private later(task: () => Promise<void>): void {
    if (this.closed) return;
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      if (!this.closed) void task().catch(() => {});
    }, this.repeatAfterMs);
    timer.unref();
    this.timers.add(timer);
  }

  private isUnsettled(key: string): boolean {
    const until = this.unsettled.get(key);
    if (until === undefined) return false;
    if (until > this.now()) return true;
    this.unsettled.delete(key);
    return false;
  }

  /** The current listing generation (created when absent); undefined when the cache cannot tell. */
  private async generation(): Promise<string | undefined> {
    const current = await this.generations.get(GENERATION_KEY);
    if (current !== undefined) return current;
    return this.generations.setIfAbsent(GENERATION_KEY, randomUUID(), GENERATION_TTL_SECONDS);
  }
}
