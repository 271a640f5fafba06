import type { Cache } from './cache.js';

/** How values are turned into the strings the Cache port stores, and back. */
export interface CacheCodec<T> {
  encode(value: T): string;
  /** Throws (or returns undefined) on a corrupt entry; the entry then counts as an error and is reloaded. */
  decode(raw: string): T | undefined;
}

export const jsonCodec = <T>(): CacheCodec<T> => ({
  encode: (value) => JSON.stringify(value),
  decode: (raw) => JSON.parse(raw) as T,
});

/** The slice of the metrics this helper writes: `cache_operations_total{cache, result}`. */
export interface CacheOpsCounter {
  inc(labels: { cache: string; result: 'hit' | 'miss' | 'error' }): void;
}

export interface CacheAsideLogger {
  warn(obj: object, msg: string): void;
}

export interface CacheAsideOptions {
  cache: Cache;
  /** the `cache` label of the metric, e.g. `catalog_product` */
  name: string;
  metrics?: { cacheOps: CacheOpsCounter };
  logger?: CacheAsideLogger;
  /** at most one warning per this many milliseconds while the cache fails (default 30 s) */
  warnIntervalMs?: number;
  now?: () => number;
}

/**
 * Cache-aside over the Cache port: read the cache, on a miss load from the source of truth and
 * store the result with a TTL. The cache is an optimisation only — any cache failure (down, timeout,
 * corrupt entry) is counted as `result="error"`, logged at most once per interval, and answered from
 * the loader. Nothing here throws because of the cache; errors of the loader itself propagate.
 */
export class CacheAside<T> {
  private readonly codec: CacheCodec<T>;
  private lastWarnAt = Number.NEGATIVE_INFINITY;
  private readonly warnIntervalMs: number;
  private readonly now: () => number;

  constructor(
    private readonly opts: CacheAsideOptions,
    codec: CacheCodec<T> = jsonCodec<T>(),
  ) {
    this.codec = codec;
    this.warnIntervalMs = opts.warnIntervalMs ?? 30_000;
    this.now = opts.now ?? Date.now;
  }

  get name(): string {
    return this.opts.name;
  }

  /** The cached value, or undefined on a miss or a cache failure (one round trip). */
  async get(key: string): Promise<T | undefined> {
    let raw: string | null;
    try {
      raw = await this.opts.cache.get(key);
    } catch (err) {
      this.failed('get', key, err);
      return undefined;
    }
    return this.decoded(key, raw);
  }

  /** Several values in one round trip; undefined for each miss (all of them on a cache failure). */
  async getMany(keys: readonly string[]): Promise<(T | undefined)[]> {
    if (keys.length === 0) return [];
    let raws: (string | null)[];
    try {
      raws = await this.opts.cache.getMany(keys);
    } catch (err) {
      this.failed('get', keys[0] as string, err);
      return keys.map(() => undefined);
    }
    return raws.map((raw, i) => this.decoded(keys[i] as string, raw));
  }

  private decoded(key: string, raw: string | null): T | undefined {
    if (raw === null) {
      this.count('miss');
      return undefined;
    }
    try {
      const value = this.codec.decode(raw);
      if (value === undefined) throw new Error('undecodable cache entry');
      this.count('hit');
      return value;
    } catch (err) {
      this.failed('decode', key, err);
      return undefined;
    }
  }

  /** Stores several values in one round trip; false (counted, logged) when the cache failed. */
  async setMany(entries: readonly { key: string; value: T }[], ttlSeconds: number): Promise<boolean> {
    if (entries.length === 0) return true;
    try {
      await this.opts.cache.setMany(
        entries.map((e) => ({ key: e.key, value: this.codec.encode(e.value), ttlSeconds })),
      );
      return true;
    } catch (err) {
      this.failed('set', entries[0]?.key as string, err);
      return false;
    }
  }

  /** Stores a value; false (counted, logged) when the cache failed. */
  async set(key: string, value: T, ttlSeconds: number): Promise<boolean> {
    try {
      await this.opts.cache.set(key, this.codec.encode(value), ttlSeconds);
      return true;
    } catch (err) {
      this.failed('set', key, err);
      return false;
    }
  }

  /** Stores only when absent; the stored value (this one or the one already there), or undefined on a failure. */
  async setIfAbsent(key: string, value: T, ttlSeconds: number): Promise<T | undefined> {
    try {
      if (await this.opts.cache.setIfAbsent(key, this.codec.encode(value), ttlSeconds)) return value;
      const raw = await this.opts.cache.get(key);
      return raw === null ? undefined : this.codec.decode(raw);
    } catch (err) {
      this.failed('setIfAbsent', key, err);
      return undefined;
    }
  }

  /** Deletes keys; false (counted, logged) when the cache failed. */
  async del(...keys: string[]): Promise<boolean> {
    if (keys.length === 0) return true;
    try {
      await this.opts.cache.del(...keys);
      return true;
    } catch (err) {
      this.failed('del', keys[0]!, err);
      return false;
    }
  }

  /**
   * The cached value, else `load()` stored for `ttlSeconds`. `cacheIf` decides whether a loaded value
   * is stored (e.g. not a "not found"); storing happens before returning, and its failure is swallowed.
   */
  async getOrLoad(
    key: string,
    ttlSeconds: number,
    load: () => Promise<T>,
    cacheIf: (value: T) => boolean = () => true,
  ): Promise<T> {
    const cached = await this.get(key);
    if (cached !== undefined) return cached;
    const value = await load();
    if (cacheIf(value)) await this.set(key, value, ttlSeconds);
    return value;
  }

  /**
   * The caller served a read without asking the cache because the cache failed earlier (e.g. an
   * invalidation it could not deliver): counted as `error`, since the cache could not be used.
   */
  bypassed(): void {
    this.count('error');
  }

  private count(result: 'hit' | 'miss' | 'error'): void {
    this.opts.metrics?.cacheOps.inc({ cache: this.opts.name, result });
  }

  private failed(op: string, key: string, err: unknown): void {
    this.count('error');
    const now = this.now();
    if (now - this.lastWarnAt < this.warnIntervalMs) return;
    this.lastWarnAt = now;
    this.opts.logger?.warn(
      { cache: this.opts.name, op, key, err: err instanceof Error ? err.message : String(err) },
      'cache unavailable; serving from the database',
    );
  }
}
