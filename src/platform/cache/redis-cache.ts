import { Redis } from 'ioredis';
import type { Cache, CacheEntry } from './cache.js';

/**
 * Redis adapter of the Cache port. Commands fail fast while Redis is away (no offline queue), so a
 * caller can fall back to Postgres instead of waiting.
 */
export class RedisCache implements Cache {
  readonly kind = 'redis' as const;
  readonly client: Redis;

  constructor(url: string, keyPrefix = '') {
    this.client = new Redis(url, {
      keyPrefix,
      lazyConnect: false,
      enableOfflineQueue: false,
      maxRetriesPerRequest: 1,
      connectTimeout: 2000,
      commandTimeout: 1000,
      retryStrategy: (attempt) => Math.min(attempt * 200, 2000),
      // commands issued in the same tick (a listing's per-SKU availability reads, the rate-limit check
      // and the cache read of one request, other requests' commands) go out in one write: one syscall
      // and one Redis read instead of one each (docs/benchmarks.md)
      enableAutoPipelining: true,
    });
    // Connection errors are reported through readiness and metrics; keep them off stderr.
    this.client.on('error', () => {});
  }

  async get(key: string): Promise<string | null> {
    return this.client.get(key);
  }

  async getMany(keys: readonly string[]): Promise<(string | null)[]> {
    return keys.length === 0 ? [] : this.client.mget(...keys);
  }

  async set(key: string, value: string, ttlSeconds: number): Promise<void> {
    await this.client.set(key, value, 'EX', Math.max(1, Math.ceil(ttlSeconds)));
  }

  async setMany(entries: readonly CacheEntry[]): Promise<void> {
    if (entries.length === 0) return;
    const tx = this.client.multi();
    for (const { key, value, ttlSeconds } of entries)
      tx.set(key, value, 'EX', Math.max(1, Math.ceil(ttlSeconds)));
    const results = await tx.exec();
    if (!results) throw new Error('Redis discarded the transaction');
    const failed = results.find(([err]) => err);
    if (failed) throw failed[0];
  }

  async setIfAbsent(key: string, value: string, ttlSeconds: number): Promise<boolean> {
    const res = await this.client.set(key, value, 'EX', Math.max(1, Math.ceil(ttlSeconds)), 'NX');
    return res === 'OK';
  }

  async del(...keys: string[]): Promise<void> {
    if (keys.length > 0) await this.client.del(...keys);
  }

  async exists(key: string): Promise<boolean> {
    return (await this.client.exists(key)) === 1;
  }

  async ping(): Promise<boolean> {
    try {
      return (await this.client.ping()) === 'PONG';
    } catch {
      return false;
    }
  }

  async close(): Promise<void> {
    this.client.disconnect();
  }
}
