import { describe, expect, it, vi } from 'vitest';
import { ManualClock } from '../clock.js';
import { Metrics } from '../telemetry/metrics.js';
import type { Cache } from './cache.js';
import { CacheAside, type CacheCodec } from './cache-aside.js';
import { MemoryCache } from './memory-cache.js';

/** A cache whose every command fails, like Redis while it is down. */
class BrokenCache implements Cache {
  readonly kind = 'redis' as const;
  calls = 0;
  private fail = async (): Promise<never> => {
    this.calls++;
    throw new Error('Stream isn’t writeable and enableOfflineQueue options is false');
  };
  get = this.fail;
  getMany = this.fail;
  set = this.fail;
  setMany = this.fail;
  setIfAbsent = this.fail;
  del = this.fail;
  exists = this.fail;
  ping = async () => false;
  close = async () => {};
}

const counts = async (metrics: Metrics, cache: string) => {
  const metric = await metrics.cacheOps.get();
  const of = (result: string) =>
    metric.values.find((v) => v.labels.cache === cache && v.labels.result === result)?.value ?? 0;
  return { hit: of('hit'), miss: of('miss'), error: of('error') };
};

const setup = (cache: Cache = new MemoryCache()) => {
  const metrics = new Metrics(false);
  const logger = { warn: vi.fn() };
  const clock = new ManualClock('2026-03-01T00:00:00Z');
  const aside = new CacheAside<{ n: number }>({
    cache,
    name: 'test',
    metrics,
    logger,
    warnIntervalMs: 10_000,
    now: () => clock.now().getTime(),
  });
  return { aside, metrics, logger, clock, cache };
};

describe('CacheAside with a working cache', () => {
  it('loads on a miss, stores, and serves the next read from the cache', async () => {
    const { aside, metrics } = setup();
    const load = vi.fn(async () => ({ n: 1 }));
    expect(await aside.getOrLoad('k', 60, load)).toEqual({ n: 1 });
    expect(await aside.getOrLoad('k', 60, load)).toEqual({ n: 1 });
    expect(load).toHaveBeenCalledTimes(1);
    expect(await counts(metrics, 'test')).toEqual({ hit: 1, miss: 1, error: 0 });
  });

  it('does not store what cacheIf refuses', async () => {
    const { aside } = setup();
    const load = vi.fn(async () => ({ n: 0 }));
    await aside.getOrLoad('k', 60, load, (v) => v.n > 0);
    await aside.getOrLoad('k', 60, load, (v) => v.n > 0);
    expect(load).toHaveBeenCalledTimes(2);
  });

  it('honours the TTL of the underlying cache', async () => {
    const clock = new ManualClock('2026-03-01T00:00:00Z');
    const { aside } = setup(new MemoryCache(100, clock));
    let n = 0;
    const load = async () => ({ n: ++n });
    expect(await aside.getOrLoad('k', 5, load)).toEqual({ n: 1 });
    clock.advance(4_999);
    expect(await aside.getOrLoad('k', 5, load)).toEqual({ n: 1 });
    clock.advance(1);
    expect(await aside.getOrLoad('k', 5, load)).toEqual({ n: 2 });
  });

  it('deletes keys so that the next read loads again', async () => {
    const { aside } = setup();
    let n = 0;
    const load = async () => ({ n: ++n });
    await aside.getOrLoad('a', 60, load);
    expect(await aside.del('a', 'unknown')).toBe(true);
    expect(await aside.getOrLoad('a', 60, load)).toEqual({ n: 2 });
  });

  it('setIfAbsent keeps the first value and returns what is stored', async () => {
    const { aside } = setup();
    expect(await aside.setIfAbsent('g', { n: 1 }, 60)).toEqual({ n: 1 });
    expect(await aside.setIfAbsent('g', { n: 2 }, 60)).toEqual({ n: 1 });
  });

  it('treats a corrupt entry as an error and reloads', async () => {
    const cache = new MemoryCache();
    const { aside, metrics } = setup(cache);
    await cache.set('k', '{not json', 60);
    expect(await aside.getOrLoad('k', 60, async () => ({ n: 7 }))).toEqual({ n: 7 });
    expect((await counts(metrics, 'test')).error).toBe(1);
    // and the reload replaced the corrupt entry
    expect(await aside.get('k')).toEqual({ n: 7 });
  });

  it('uses a custom codec', async () => {
    const cache = new MemoryCache();
    const codec: CacheCodec<string> = {
      encode: (v) => `v1|${v}`,
      decode: (raw) => (raw.startsWith('v1|') ? raw.slice(3) : undefined),
    };
    const aside = new CacheAside<string>({ cache, name: 'raw' }, codec);
    await aside.set('k', 'hello', 60);
    expect(await cache.get('k')).toBe('v1|hello');
    expect(await aside.get('k')).toBe('hello');
    await cache.set('k', 'v0|old', 60);
    expect(await aside.get('k')).toBeUndefined();
  });
});

describe('CacheAside with a failing cache', () => {
  it('never throws because of the cache: every read is answered by the loader and counted as an error', async () => {
    const broken = new BrokenCache();
    const { aside, metrics } = setup(broken);
    let n = 0;
    const load = async () => ({ n: ++n });
    expect(await aside.getOrLoad('k', 60, load)).toEqual({ n: 1 });
    expect(await aside.getOrLoad('k', 60, load)).toEqual({ n: 2 });
    // two failed gets and two failed sets
    expect(await counts(metrics, 'test')).toEqual({ hit: 0, miss: 0, error: 4 });
    expect(await aside.get('k')).toBeUndefined();
    expect(await aside.set('k', { n: 3 }, 60)).toBe(false);
    expect(await aside.del('k')).toBe(false);
    expect(await aside.setIfAbsent('k', { n: 3 }, 60)).toBeUndefined();
  });

  it('counts a read that bypassed the failed cache as an error', async () => {
    const { aside, metrics } = setup(new BrokenCache());
    aside.bypassed();
    expect(await counts(metrics, 'test')).toEqual({ hit: 0, miss: 0, error: 1 });
  });

  it('lets an error of the loader itself propagate', async () => {
    const { aside } = setup(new BrokenCache());
    await expect(
      aside.getOrLoad('k', 60, async () => {
        throw new Error('database down');
      }),
    ).rejects.toThrow('database down');
  });

  it('warns at most once per interval', async () => {
    const { aside, logger, clock } = setup(new BrokenCache());
    for (let i = 0; i < 5; i++) await aside.get('k');
    expect(logger.warn).toHaveBeenCalledTimes(1);
    expect(logger.warn.mock.calls[0]![0]).toMatchObject({ cache: 'test', op: 'get', key: 'k' });
    clock.advance(9_999);
    await aside.get('k');
    expect(logger.warn).toHaveBeenCalledTimes(1);
    clock.advance(1);
    await aside.get('k');
    expect(logger.warn).toHaveBeenCalledTimes(2);
  });
});
