import type { CacheAside } from '../../platform/cache/cache-aside.js';

/**
 * Browsing availability per SKU, cache-aside (`inventory:available:<region>:<sku>`, docs/inventory.md
 * "Availability cache and its staleness bound"). Without a cache every read goes to Postgres and
 * nothing needs invalidating.
 */
export class AvailabilityCache {
  constructor(
    private readonly region: string,
    private readonly cache: CacheAside<number> | undefined,
    private readonly ttlSeconds: number,
  ) {}

  get enabled(): boolean {
    return this.cache !== undefined;
  }

  /** The cached value of each SKU, `undefined` where there is none (or it is not a whole number). */
  async getMany(skus: readonly string[]): Promise<(number | undefined)[]> {
    if (!this.cache) return skus.map(() => undefined);
    const cached = await this.cache.getMany(skus.map((s) => this.key(s)));
    return cached.map((v) => (v === undefined || !Number.isInteger(v) ? undefined : v));
  }

  async setMany(entries: readonly { sku: string; available: number }[]): Promise<void> {
    if (!this.cache) return;
    await this.cache.setMany(
      entries.map((e) => ({ key: this.key(e.sku), value: e.available })),
      this.ttlSeconds,
    );
  }

  /** Forgets these SKUs (after a change of on hand or reserved). */
  async invalidate(skus: readonly string[]): Promise<void> {
    if (this.cache && skus.length > 0) await this.cache.del(...[...new Set(skus)].map((s) => this.key(s)));
  }

  private key(sku: string): string {
    return `inventory:available:${this.region}:${sku}`;
  }
}
