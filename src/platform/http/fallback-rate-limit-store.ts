import { createRequire } from 'node:module';
import type { FastifyRateLimitStoreCtor } from '@fastify/rate-limit';
import type { Redis } from 'ioredis';

/** The store contract of @fastify/rate-limit (its RedisStore and LocalStore implement it). */
type Counted = { current: number; ttl: number };
type Done = (err: Error | null, res: Counted | null) => void;
interface RateLimitStore {
  incr(key: string, cb: Done, timeWindow: number, max: number): void;
  read(key: string, cb: Done, timeWindow: number, max: number): void;
  child(routeOptions: RouteOptions): RateLimitStore;
}
interface RouteOptions {
  continueExceeding: boolean;
  exponentialBackoff: boolean;
  routeInfo: { method: string; url: string };
}

// the plugin's own stores (CommonJS, no typings of their own)
const require = createRequire(import.meta.url);
const RedisStore = require('@fastify/rate-limit/store/RedisStore.js') as new (
  continueExceeding: boolean,
  exponentialBackoff: boolean,
  redis: Redis,
  key?: string,
) => RateLimitStore;
const LocalStore = require('@fastify/rate-limit/store/LocalStore.js') as new (
  continueExceeding: boolean,
  exponentialBackoff: boolean,
  cache?: number,
) => RateLimitStore;

/**
 * A @fastify/rate-limit store that counts in Redis — one budget per client for the whole region — and,
 * while Redis does not answer, in this instance's memory (SPEC.md: rate limits fall back to per
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

    static create(params: { continueExceeding: boolean; exponentialBackoff: boolean }): FallbackStore {
      return new FallbackStore(
        new RedisStore(params.continueExceeding, params.exponentialBackoff, redis, nameSpace),
        new LocalStore(params.continueExceeding, params.exponentialBackoff),
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
  return function Store(params: { continueExceeding: boolean; exponentialBackoff: boolean }) {
    return FallbackStore.create(params);
  } as unknown as FastifyRateLimitStoreCtor;
};
