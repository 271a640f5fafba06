import type { FastifyRateLimitStore, FastifyRateLimitStoreCtor } from '@fastify/rate-limit';
import type { Redis } from 'ioredis';

/**
 * The store contract of @fastify/rate-limit (`FastifyRateLimitStore` of its typings, with the `read`
 * the plugin calls for `{ increment: false }`), implemented here on its public typings only: the
 * plugin's own stores are internal files of the package.
 */
type Counted = { current: number; ttl: number };
type Done = (err: Error | null, res: Counted | null) => void;
interface RouteOptions {
  continueExceeding: boolean;
  exponentialBackoff: boolean;
  routeInfo: { method: string; url: string };
  cache?: number;
}
interface RateLimitStore {
  incr(key: string, cb: Done, timeWindow: number, max: number): void;
  read(key: string, cb: Done, timeWindow: number, max: number): void;
  child(routeOptions: RouteOptions): RateLimitStore;
}
interface Counting {
  continueExceeding: boolean;
  exponentialBackoff: boolean;
}

/**
 * Counts a key in Redis, atomically: the first hit of a window sets its expiry; past `max`, the window
 * restarts on every hit (`continueExceeding`) or doubles per hit beyond (`exponentialBackoff`).
 * Answers the count and the window's remaining milliseconds.
 */
const INCR_SCRIPT = `
  local key = KEYS[1]
  local timeWindow = tonumber(ARGV[1])
  local max = tonumber(ARGV[2])
  local continueExceeding = ARGV[3] == 'true'
  local exponentialBackoff = ARGV[4] == 'true'
  local MAX_SAFE_INTEGER = (2^53) - 1
  local current = redis.call('INCR', key)
  if current == 1 or (continueExceeding and current > max) then
    redis.call('PEXPIRE', key, timeWindow)
  elseif exponentialBackoff and current > max then
    local backoffExponent = current - max - 1
    timeWindow = math.min(timeWindow * (2 ^ backoffExponent), MAX_SAFE_INTEGER)
    redis.call('PEXPIRE', key, timeWindow)
  else
    timeWindow = redis.call('PTTL', key)
  end
  return {current, timeWindow}
`;

/** The count and remaining milliseconds of a key, without counting ({0, 0} when there is no window). */
const READ_SCRIPT = `
  local current = redis.call('GET', KEYS[1])
  if not current then
    return {0, 0}
  end
  local ttl = redis.call('PTTL', KEYS[1])
  if ttl < 0 then
    ttl = 0
  end
  return {tonumber(current), ttl}
`;

type RedisWithRateLimit = Redis & {
  shopcoreRateLimitIncr(
    key: string,
    timeWindow: number,
    max: number,
    ce: string,
    eb: string,
  ): Promise<[number, number]>;
  shopcoreRateLimitRead(key: string): Promise<[number, number]>;
};

/** The Lua scripts as commands of the client (EVALSHA, loaded again when Redis forgot them). */
const withScripts = (redis: Redis): RedisWithRateLimit => {
  const r = redis as RedisWithRateLimit;
  if (typeof r.shopcoreRateLimitIncr !== 'function')
    redis.defineCommand('shopcoreRateLimitIncr', { numberOfKeys: 1, lua: INCR_SCRIPT });
  if (typeof r.shopcoreRateLimitRead !== 'function')
    redis.defineCommand('shopcoreRateLimitRead', { numberOfKeys: 1, lua: READ_SCRIPT });
  return r;
};

/** One budget per key for the whole region, in Redis under `prefix` (a route's own limits: a longer prefix). */
class RedisCounter implements RateLimitStore {
  constructor(
    private readonly counting: Counting,
    private readonly redis: RedisWithRateLimit,
    private readonly prefix: string,
  ) {}

  incr(key: string, cb: Done, timeWindow: number, max: number): void {
    const { continueExceeding, exponentialBackoff } = this.counting;
    this.redis
      .shopcoreRateLimitIncr(
        this.prefix + key,
        timeWindow,
        max,
        String(continueExceeding),
        String(exponentialBackoff),
      )
      .then(
        ([current, ttl]) => cb(null, { current, ttl }),
        (err: Error) => cb(err, null),
      );
  }

  read(key: string, cb: Done): void {
    this.redis.shopcoreRateLimitRead(this.prefix + key).then(
      ([current, ttl]) => cb(null, { current, ttl }),
      (err: Error) => cb(err, null),
    );
  }

  child(routeOptions: RouteOptions): RateLimitStore {
    const { method, url } = routeOptions.routeInfo;
    return new RedisCounter(routeOptions, this.redis, `${this.prefix}${method}${url}-`);
  }
}

interface Window {
  current: number;
  ttl: number;
  startMs: number;
}

/** This instance's own count of each key (the `capacity` keys used last), with the same windows as Redis. */
class LocalCounter implements RateLimitStore {
  private readonly windows = new Map<string, Window>();

  constructor(
    private readonly counting: Counting,
    private readonly capacity = 5000,
  ) {}

  incr(key: string, cb: Done, timeWindow: number, max: number): void {
    const now = Date.now();
    let w = this.get(key);
    if (!w || w.startMs + timeWindow <= now) {
      // no window yet, or it ended: a new one
      w = { current: 1, ttl: timeWindow, startMs: now };
    } else {
      w.current++;
      if (this.counting.continueExceeding && w.current > max) {
        w.ttl = timeWindow;
        w.startMs = now;
      } else if (this.counting.exponentialBackoff && w.current > max) {
        const ttl = timeWindow * 2 ** (w.current - max - 1);
        w.ttl = Number.isSafeInteger(ttl) ? ttl : Number.MAX_SAFE_INTEGER;
        w.startMs = now;
      } else {
        w.ttl = timeWindow - (now - w.startMs);
      }
    }
    this.set(key, w);
    cb(null, { current: w.current, ttl: w.ttl });
  }

  read(key: string, cb: Done, timeWindow: number): void {
    const now = Date.now();
    const w = this.get(key);
    if (!w || w.startMs + timeWindow <= now) cb(null, { current: 0, ttl: 0 });
    else cb(null, { current: w.current, ttl: timeWindow - (now - w.startMs) });
  }

  child(routeOptions: RouteOptions): RateLimitStore {
    return new LocalCounter(routeOptions, routeOptions.cache);
  }

  /** The key's window, now the most recently used. */
  private get(key: string): Window | undefined {
    const w = this.windows.get(key);
    if (w) {
      this.windows.delete(key);
      this.windows.set(key, w);
    }
    return w;
  }

  /** Stores the window as the most recently used, forgetting the least recently used beyond capacity. */
  private set(key: string, w: Window): void {
    this.windows.delete(key);
    this.windows.set(key, w);
    if (this.windows.size > this.capacity) {
      const oldest = this.windows.keys().next();
      if (!oldest.done) this.windows.delete(oldest.value);
    }
  }
}

/**
 * A @fastify/rate-limit store that counts in Redis — one budget per client for the whole region — and,
 * while Redis does not answer, in this instance's memory (docs/product/spec.md: rate limits fall back to per
 * instance when Redis is down; the region then allows up to instances × the limit). Each request
 * asks Redis first, so the shared count resumes as soon as Redis answers. `onFallback` is called for
 * each request counted locally (a metric).
 */
export const fallbackRateLimitStore = (
  redis: Redis,
  nameSpace: string,
  onFallback: () => void,
): FastifyRateLimitStoreCtor => {
  class FallbackStore implements RateLimitStore {
    constructor(
      private readonly shared: RateLimitStore,
      private readonly local: RateLimitStore,
    ) {}

    static create(params: Counting): FallbackStore {
      const counting = {
        continueExceeding: params.continueExceeding,
        exponentialBackoff: params.exponentialBackoff,
      };
      return new FallbackStore(
        new RedisCounter(counting, withScripts(redis), nameSpace),
        new LocalCounter(counting),
      );
    }

    incr(key: string, cb: Done, timeWindow: number, max: number): void {
      this.shared.incr(key, this.orLocal('incr', key, cb, timeWindow, max), timeWindow, max);
    }

    read(key: string, cb: Done, timeWindow: number, max: number): void {
      this.shared.read(key, this.orLocal('read', key, cb, timeWindow, max), timeWindow, max);
    }

    child(routeOptions: RouteOptions): RateLimitStore {
      return new FallbackStore(this.shared.child(routeOptions), this.local.child(routeOptions));
    }

    private orLocal(op: 'incr' | 'read', key: string, cb: Done, timeWindow: number, max: number): Done {
      return (err, res) => {
        if (!err) return cb(null, res);
        onFallback();
        this.local[op](key, cb, timeWindow, max);
      };
    }
  }
  // the plugin calls `new store(globalParams)`
  return function Store(params: Counting) {
    return FallbackStore.create(params) as unknown as FastifyRateLimitStore;
  } as unknown as FastifyRateLimitStoreCtor;
};
