import type { FastifyRateLimitStore, FastifyRateLimitStoreCtor } from '@fastify/rate-limit';
import type { Redis } from 'ioredis';
import {
  type RateLimiterAbstract,
  RateLimiterMemory,
  RateLimiterRedis,
  type RateLimiterRes,
} from 'rate-limiter-flexible';

/**
 * The store contract @fastify/rate-limit calls (its public `FastifyRateLimitStore` typing, plus the
 * `read` it calls for `{ increment: false }`): count a key in a window of `timeWindow` ms and answer
 * the count and the window's remaining milliseconds; the plugin compares the count with its `max`.
 */
type Counted = { current: number; ttl: number };
type Done = (err: Error | null, res: Counted | null) => void;
interface RouteOptions {
  continueExceeding?: boolean;
  exponentialBackoff?: boolean;
  routeInfo: { method: string; url: string };
}
interface RateLimitStore {
  incr(key: string, cb: Done, timeWindow: number, max: number): void;
  read(key: string, cb: Done, timeWindow: number, max: number): void;
  child(routeOptions: RouteOptions): RateLimitStore;
}

/** The in-memory counter standing in while Redis does not answer, counting each use in `onUse` (a metric). */
class CountedMemoryLimiter extends RateLimiterMemory {
  constructor(
    opts: ConstructorParameters<typeof RateLimiterMemory>[0],
    private readonly onUse: () => void,
  ) {
    super(opts);
  }

  override penalty(...args: Parameters<RateLimiterMemory['penalty']>): Promise<RateLimiterRes> {
    this.onUse();
    return super.penalty(...args);
  }

  override get(...args: Parameters<RateLimiterMemory['get']>): Promise<RateLimiterRes | null> {
    this.onUse();
    return super.get(...args);
  }
}

const counted = (res: RateLimiterRes): Counted => ({ current: res.consumedPoints, ttl: res.msBeforeNext });
const asError = (err: unknown): Error => (err instanceof Error ? err : new Error(String(err)));

/**
 * Counts on rate-limiter-flexible (ADR 0026 chose it for password attempts): a fixed window that opens
 * at a key's first hit, counted by the library's atomic increment in Redis — one budget per client for
 * the whole region — with its insurance limiter, this instance's memory, standing in while Redis does
 * not answer (`rejectIfRedisNotReady`: no waiting on a reconnecting client). The library only counts
 * here (`penalty` never refuses); the plugin decides against `max`. One limiter per window length.
 */
class FlexibleRateLimitStore implements RateLimitStore {
  private readonly limiters = new Map<number, RateLimiterAbstract>();

  constructor(
    private readonly redis: Redis,
    private readonly keyPrefix: string,
    private readonly onFallback: () => void,
  ) {}

  incr(key: string, cb: Done, timeWindow: number): void {
    this.limiter(timeWindow)
      .penalty(key, 1)
      .then(
        (res) => cb(null, counted(res)),
        (err: unknown) => cb(asError(err), null),
      );
  }

  read(key: string, cb: Done, timeWindow: number): void {
    this.limiter(timeWindow)
      .get(key)
      .then(
        (res) => cb(null, res ? counted(res) : { current: 0, ttl: 0 }),
        (err: unknown) => cb(asError(err), null),
      );
  }

  /** A route's own limit: its own counters, under its method and URL. */
  child(routeOptions: RouteOptions): RateLimitStore {
    refuseUnsupported(routeOptions);
    const { method, url } = routeOptions.routeInfo;
    return new FlexibleRateLimitStore(this.redis, `${this.keyPrefix}:${method}${url}`, this.onFallback);
  }

  private limiter(timeWindow: number): RateLimiterAbstract {
    const duration = Math.max(1, Math.ceil(timeWindow / 1000));
    let limiter = this.limiters.get(duration);
    if (!limiter) {
      // `points` is the library's own refusal threshold, which `penalty` ignores: only counts are used
      const options = { keyPrefix: this.keyPrefix, points: 1, duration };
      limiter = new RateLimiterRedis({
        ...options,
        storeClient: this.redis,
        rejectIfRedisNotReady: true,
        insuranceLimiter: new CountedMemoryLimiter(options, this.onFallback),
      });
      this.limiters.set(duration, limiter);
    }
    return limiter;
  }
}

/** The plugin's `continueExceeding` and `exponentialBackoff` are not what this store counts: refused, not ignored. */
const refuseUnsupported = (o: { continueExceeding?: boolean; exponentialBackoff?: boolean }): void => {
  if (o.continueExceeding || o.exponentialBackoff) {
    throw new Error(
      'fallbackRateLimitStore counts fixed windows: continueExceeding and exponentialBackoff are not supported',
    );
  }
};

/**
 * A @fastify/rate-limit store that counts in Redis — one budget per client for the whole region — and,
 * while Redis does not answer, in this instance's memory (docs/product/spec.md: rate limits fall back
 * to per instance when Redis is down; the region then allows up to instances × the limit). Each
 * request asks Redis first, so the shared count resumes as soon as Redis answers. `onFallback` is
 * called for each request counted locally (a metric). Keys: `<nameSpace>:<client key>`, and
 * `<nameSpace>:<METHOD><url>:<client key>` for a route's own limit. Built on the plugin's public
 * typings and rate-limiter-flexible's public API only.
 */
export const fallbackRateLimitStore = (
  redis: Redis,
  nameSpace: string,
  onFallback: () => void,
): FastifyRateLimitStoreCtor =>
  // the plugin calls `new store(globalParams)`
  function Store(params: { continueExceeding?: boolean; exponentialBackoff?: boolean }) {
    refuseUnsupported(params);
    return new FlexibleRateLimitStore(redis, nameSpace, onFallback) as unknown as FastifyRateLimitStore;
  } as unknown as FastifyRateLimitStoreCtor;
