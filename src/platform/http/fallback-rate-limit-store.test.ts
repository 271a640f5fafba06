import type { Redis } from 'ioredis';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { fallbackRateLimitStore } from './fallback-rate-limit-store.js';

type Counted = { current: number; ttl: number };
interface Store {
  incr(
    key: string,
    cb: (err: Error | null, res: Counted | null) => void,
    timeWindow: number,
    max: number,
  ): void;
  child(o: {
    continueExceeding: boolean;
    exponentialBackoff: boolean;
    routeInfo: { method: string; url: string };
  }): Store;
}

/** A Redis whose scripted commands answer what `answer` says (a failure: Redis away). */
const fakeRedis = (answer: (command: string, key: string) => Promise<[number, number]>) => {
  const calls: string[] = [];
  const redis = {
    defineCommand(name: string) {
      (redis as unknown as Record<string, unknown>)[name] = (key: string) => {
        calls.push(`${name} ${key}`);
        return answer(name, key);
      };
    },
  };
  return { redis: redis as unknown as Redis, calls };
};

const incr = (store: Store, key: string, max = 2): Promise<Counted> =>
  new Promise((resolve, reject) =>
    store.incr(key, (err, res) => (err ? reject(err) : resolve(res!)), 60_000, max),
  );

const storeOf = (redis: Redis, onFallback = () => {}): Store => {
  const Ctor = fallbackRateLimitStore(redis, 'shopcore:rl:', onFallback) as unknown as new (p: {
    continueExceeding: boolean;
    exponentialBackoff: boolean;
  }) => Store;
  return new Ctor({ continueExceeding: false, exponentialBackoff: false });
};

describe('the fallback rate-limit store', () => {
  beforeEach(() => vi.useFakeTimers({ now: new Date('2026-01-01T00:00:00Z') }));
  afterEach(() => vi.useRealTimers());

  it('counts in Redis under the namespace while Redis answers, and a route’s own limit under its method and url', async () => {
    const { redis, calls } = fakeRedis(async () => [3, 41_000]);
    const fallbacks = vi.fn();
    const store = storeOf(redis, fallbacks);
    expect(await incr(store, '10.0.0.1')).toEqual({ current: 3, ttl: 41_000 });
    const route = store.child({
      continueExceeding: false,
      exponentialBackoff: false,
      routeInfo: { method: 'POST', url: '/api/v1/auth/login' },
    });
    await incr(route, '10.0.0.1');
    expect(calls).toEqual([
      'shopcoreRateLimitIncr shopcore:rl:10.0.0.1',
      'shopcoreRateLimitIncr shopcore:rl:POST/api/v1/auth/login-10.0.0.1',
    ]);
    expect(fallbacks).not.toHaveBeenCalled();
  });

  it('counts in this instance’s memory while Redis does not answer, once per request reported as a fallback', async () => {
    const { redis } = fakeRedis(async () => {
      throw new Error('Connection is closed.');
    });
    const fallbacks = vi.fn();
    const store = storeOf(redis, fallbacks);
    expect(await incr(store, 'a')).toEqual({ current: 1, ttl: 60_000 });
    vi.advanceTimersByTime(10_000);
    expect(await incr(store, 'a')).toEqual({ current: 2, ttl: 50_000 });
    expect(await incr(store, 'b')).toEqual({ current: 1, ttl: 60_000 });
    expect(fallbacks).toHaveBeenCalledTimes(3);
  });

  it('starts a new local window once the previous one ended', async () => {
    const { redis } = fakeRedis(async () => {
      throw new Error('down');
    });
    const store = storeOf(redis);
    await incr(store, 'a');
    await incr(store, 'a');
    vi.advanceTimersByTime(60_000);
    expect(await incr(store, 'a')).toEqual({ current: 1, ttl: 60_000 });
  });

  it('goes back to Redis as soon as it answers again', async () => {
    let up = false;
    const { redis } = fakeRedis(async () => {
      if (!up) throw new Error('down');
      return [7, 30_000];
    });
    const store = storeOf(redis);
    expect((await incr(store, 'a')).current).toBe(1);
    up = true;
    expect(await incr(store, 'a')).toEqual({ current: 7, ttl: 30_000 });
  });
});
