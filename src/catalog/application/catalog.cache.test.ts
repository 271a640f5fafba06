import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Cache, CacheEntry } from '../../platform/cache/cache.js';
import { MemoryCache } from '../../platform/cache/memory-cache.js';
import { Metrics } from '../../platform/telemetry/metrics.js';
import { CatalogCache, etagOf } from './catalog.cache.js';

/** A memory cache that can be switched off, like Redis going away and coming back. */
class FlakyCache implements Cache {
  readonly kind = 'redis' as const;
  down = false;
  readonly inner = new MemoryCache();
  private guard<T>(fn: () => Promise<T>): Promise<T> {
    return this.down ? Promise.reject(new Error('connection is closed')) : fn();
  }
  get = (k: string) => this.guard(() => this.inner.get(k));
  getMany = (keys: readonly string[]) => this.guard(() => this.inner.getMany(keys));
  set = (k: string, v: string, ttl: number) => this.guard(() => this.inner.set(k, v, ttl));
  setMany = (entries: readonly CacheEntry[]) => this.guard(() => this.inner.setMany(entries));
  setIfAbsent = (k: string, v: string, ttl: number) => this.guard(() => this.inner.setIfAbsent(k, v, ttl));
  del = (...keys: string[]) => this.guard(() => this.inner.del(...keys));
  exists = (k: string) => this.guard(() => this.inner.exists(k));
  ping = async () => !this.down;
  close = async () => {};
}

const ID = '0194f3a0-0000-7000-8000-000000000001';

const setup = () => {
  const cache = new FlakyCache();
  const metrics = new Metrics(false);
  const catalog = new CatalogCache({ cache, metrics, locales: ['en', 'de'], repeatAfterMs: 1000 });
  let version = 1;
  const loads = { product: 0, listing: 0 };
  const loadProduct = async () => {
    loads.product++;
    return { id: ID, name: `v${version}` };
  };
  const loadListing = async () => {
    loads.listing++;
    return { items: [`v${version}`] };
  };
  return {
    cache,
    catalog,
    metrics,
    loads,
    change: () => version++,
    product: async (ref = 'kettle', locale = 'en') =>
      JSON.parse((await catalog.product(ref, locale, loadProduct))!.body).name as string,
    listing: async () => JSON.parse((await catalog.listing('{"q":null}', 'en', loadListing)).body).items[0],
  };
};

describe('CatalogCache', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('stores body and ETag under one key, so that a hit is a single GET', async () => {
    const { cache, catalog } = setup();
    const first = await catalog.product('Kettle', 'en', async () => ({ name: 'Kettle' }));
    expect(first).toEqual({ body: '{"name":"Kettle"}', etag: etagOf('{"name":"Kettle"}') });
    const get = vi.spyOn(cache, 'get');
    const set = vi.spyOn(cache, 'set');
    const hit = await catalog.product('kettle', 'en', async () => {
      throw new Error('must not load');
    });
    expect(hit).toEqual(first);
    expect(get).toHaveBeenCalledTimes(1);
    expect(set).not.toHaveBeenCalled();
  });

  it('does not cache "not found"', async () => {
    const { catalog } = setup();
    let loads = 0;
    const load = async () => {
      loads++;
      return null;
    };
    expect(await catalog.product('nothing', 'en', load)).toBeNull();
    expect(await catalog.product('nothing', 'en', load)).toBeNull();
    expect(loads).toBe(2);
  });

  it('invalidates every locale and every reference of a changed product, and the listings', async () => {
    const t = setup();
    expect(await t.product('kettle', 'en')).toBe('v1');
    expect(await t.product(ID, 'de')).toBe('v1');
    expect(await t.listing()).toBe('v1');
    t.change();
    expect(await t.product('kettle', 'en')).toBe('v1'); // still cached
    await t.catalog.productsChanged([{ id: ID, slugs: ['kettle'] }], { listings: true });
    expect(await t.product('kettle', 'en')).toBe('v2');
    expect(await t.product(ID, 'de')).toBe('v2');
    expect(await t.listing()).toBe('v2');
  });

  it('deletes once more a second later: a stale entry written by a reader racing the change goes too', async () => {
    const t = setup();
    await t.catalog.productsChanged([{ id: ID, slugs: ['kettle'] }], { listings: false });
    // a reader that loaded before the commit stores what it read after the first delete
    expect(await t.product('kettle')).toBe('v1');
    t.change();
    expect(await t.product('kettle')).toBe('v1');
    await vi.advanceTimersByTimeAsync(1000);
    expect(await t.product('kettle')).toBe('v2');
  });

  it('after a failed invalidation, reads the affected keys from the source until the retry succeeds', async () => {
    const t = setup();
    expect(await t.product('kettle')).toBe('v1');
    expect(await t.listing()).toBe('v1');
    t.cache.down = true;
    t.change();
    await t.catalog.productsChanged([{ id: ID, slugs: ['kettle'] }], { listings: true });
    // Redis comes back with the stale entries still in it; this instance does not trust them
    t.cache.down = false;
    expect(await t.product('kettle')).toBe('v2');
    expect(await t.listing()).toBe('v2');
    const loadsBefore = t.loads.product;
    expect(await t.product('kettle')).toBe('v2');
    expect(t.loads.product).toBe(loadsBefore + 1); // bypassed, not cached
    await vi.advanceTimersByTimeAsync(1000); // the retry deletes the stale entries
    expect(await t.product('kettle')).toBe('v2');
    const loadsAfterRetry = t.loads.product;
    expect(await t.product('kettle')).toBe('v2');
    expect(t.loads.product).toBe(loadsAfterRetry); // cached again
    const ops = await t.metrics.cacheOps.get();
    const errors = ops.values.filter((v) => v.labels.result === 'error').reduce((n, v) => n + v.value, 0);
    expect(errors).toBeGreaterThan(0);
  });

  it('keeps retrying a failed invalidation while the cache is down, and stops after the TTL', async () => {
    const t = setup();
    t.cache.down = true;
    const del = vi.spyOn(t.cache, 'del');
    await t.catalog.productsChanged([{ id: ID, slugs: ['kettle'] }], { listings: false });
    await vi.advanceTimersByTimeAsync(5_000);
    const attempts = del.mock.calls.length;
    expect(attempts).toBeGreaterThan(3);
    await vi.advanceTimersByTimeAsync(60_000);
    const settled = del.mock.calls.length;
    await vi.advanceTimersByTimeAsync(10_000);
    expect(del.mock.calls.length).toBe(settled); // the entries it could not delete have expired by now
  });

  it('stops its timers when closed', async () => {
    const t = setup();
    const del = vi.spyOn(t.cache, 'del');
    await t.catalog.productsChanged([{ id: ID, slugs: ['kettle'] }], { listings: false });
    t.catalog.close();
    await vi.advanceTimersByTimeAsync(5_000);
    expect(del).toHaveBeenCalledTimes(1);
  });
});
