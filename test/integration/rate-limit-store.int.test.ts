import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, inject, it, vi } from 'vitest';
import { fallbackRateLimitStore } from '../../src/platform/http/fallback-rate-limit-store.js';
import { type CuttableProxy, proxiedService } from '../support/proxy.js';
import { missing } from '../support/skip.js';
import { waitFor } from '../support/wait.js';

type Counted = { current: number; ttl: number };
interface Store {
  incr(
    key: string,
    cb: (err: Error | null, res: Counted | null) => void,
    timeWindow: number,
    max: number,
  ): void;
  read(
    key: string,
    cb: (err: Error | null, res: Counted | null) => void,
    timeWindow: number,
    max: number,
  ): void;
  child(o: { routeInfo: { method: string; url: string } }): Store;
}

const incr = (store: Store, key: string): Promise<Counted> =>
  new Promise((resolve, reject) =>
    store.incr(key, (err, res) => (err ? reject(err) : resolve(res!)), 60_000, 5),
  );
const read = (store: Store, key: string): Promise<Counted> =>
  new Promise((resolve, reject) =>
    store.read(key, (err, res) => (err ? reject(err) : resolve(res!)), 60_000, 5),
  );

/**
 * The rate-limit store of app.ts (src/platform/http/fallback-rate-limit-store.ts) against a real
 * Redis, reached through a proxy the test cuts: one count for the region in Redis while it answers,
 * this instance's memory while it does not, Redis again as soon as it answers.
 */
describe.skipIf(missing('redis'))('the fallback rate-limit store', () => {
  let proxy: CuttableProxy;
  let client: Redis;
  let direct: Redis;
  const prefix = `rl-int-${randomUUID()}:`;
  const fallbacks = vi.fn();
  let store: Store;

  beforeAll(async () => {
    const proxied = await proxiedService(inject('redisUrl')!, 6379);
    proxy = proxied.proxy;
    // configured as platform/cache/redis-cache.ts configures the app's client
    client = new Redis(proxied.url, {
      keyPrefix: prefix,
      enableOfflineQueue: false,
      maxRetriesPerRequest: 1,
      connectTimeout: 2000,
      commandTimeout: 1000,
      retryStrategy: () => 50,
    });
    direct = new Redis(inject('redisUrl')!, { keyPrefix: prefix });
    await waitFor('the proxied client ready', async () => client.status === 'ready', 5_000, 20);
    const Ctor = fallbackRateLimitStore(client, 'shopcore:rl', fallbacks) as unknown as new (p: {
      continueExceeding: boolean;
      exponentialBackoff: boolean;
    }) => Store;
    store = new Ctor({ continueExceeding: false, exponentialBackoff: false });
  });
  afterAll(async () => {
    if (proxy && !proxy.isOpen) await proxy.open(proxy.port);
    client?.disconnect();
    await direct?.quit();
    await proxy?.cut();
  });

  it('counts a client in Redis, one window from its first hit, under the namespace; a route’s own limit apart', async () => {
    expect(await incr(store, '10.0.0.1')).toMatchObject({ current: 1 });
    const second = await incr(store, '10.0.0.1');
    expect(second.current).toBe(2);
    expect(second.ttl).toBeGreaterThan(55_000);
    expect(second.ttl).toBeLessThanOrEqual(60_000);
    expect(await direct.get('shopcore:rl:10.0.0.1')).toBe('2');
    const login = store.child({ routeInfo: { method: 'POST', url: '/api/v1/auth/login' } });
    expect((await incr(login, '10.0.0.1')).current).toBe(1);
    expect(await direct.get('shopcore:rl:POST/api/v1/auth/login:10.0.0.1')).toBe('1');
    expect((await read(store, '10.0.0.1')).current).toBe(2);
    expect(await read(store, 'never-seen')).toEqual({ current: 0, ttl: 0 });
    expect(fallbacks).not.toHaveBeenCalled();
  });

  it('counts in this instance’s memory while Redis does not answer, each request reported as a fallback, and goes back to Redis once it answers', async () => {
    await proxy.cut();
    await waitFor('the client to notice Redis is gone', async () => client.status !== 'ready', 5_000, 20);
    expect((await incr(store, '10.0.0.2')).current).toBe(1);
    expect((await incr(store, '10.0.0.2')).current).toBe(2);
    expect(fallbacks).toHaveBeenCalledTimes(2);
    expect(await direct.get('shopcore:rl:10.0.0.2')).toBeNull();

    await proxy.open(proxy.port);
    await waitFor('the client back', async () => client.status === 'ready', 10_000, 20);
    expect((await incr(store, '10.0.0.2')).current).toBe(1);
    expect(await direct.get('shopcore:rl:10.0.0.2')).toBe('1');
    expect(fallbacks).toHaveBeenCalledTimes(2);
  });

  it('refuses the plugin options it does not count (continueExceeding, exponentialBackoff) instead of ignoring them', () => {
    const Ctor = fallbackRateLimitStore(client, 'shopcore:rl', () => {}) as unknown as new (p: {
      continueExceeding: boolean;
      exponentialBackoff: boolean;
    }) => Store;
    expect(() => new Ctor({ continueExceeding: true, exponentialBackoff: false })).toThrow(/not supported/);
  });
});
