import { createHash } from 'node:crypto';
import type { Redis } from 'ioredis';
import {
  type RateLimiterAbstract,
  RateLimiterMemory,
  RateLimiterRedis,
  RateLimiterRes,
} from 'rate-limiter-flexible';
import type { PasswordAttemptLimiter, PasswordAttemptVerdict } from '../../application/identity.ports.js';

export interface PasswordAttemptLimits {
  /** attempts at one account's password that may fail within the window */
  maxFailures: number;
  /** the window, in seconds, counted from the first attempt; the count is forgotten when it ends */
  windowSeconds: number;
}

type LimiterOptions = ConstructorParameters<typeof RateLimiterMemory>[0];

/** The prefix of the counters' keys (after the client's own prefix, `shopcore:<region>:`). */
export const PASSWORD_ATTEMPTS_KEY_PREFIX = 'login-fail';

/** Keys name the account by a SHA-256 of its normalised email: the address is never stored (ADR 0026). */
export const accountKey = (account: string): string =>
  createHash('sha256').update(`shopcore-login:${account}`).digest('base64url');

/** The in-memory store, counting each use in `onUse` (the fallback metric) when it stands in for Redis. */
class CountedMemoryLimiter extends RateLimiterMemory {
  constructor(
    opts: LimiterOptions,
    private readonly onUse: () => void,
  ) {
    super(opts);
  }

  override consume(...args: Parameters<RateLimiterMemory['consume']>): Promise<RateLimiterRes> {
    this.onUse();
    return super.consume(...args);
  }

  override delete(...args: Parameters<RateLimiterMemory['delete']>): Promise<boolean> {
    this.onUse();
    return super.delete(...args);
  }
}

/**
 * Password attempts per account on rate-limiter-flexible (ADR 0026): a fixed window of
 * `maxFailures` attempts per account that opens at its first attempt; a right password deletes the
 * count. In Redis (one count per account for the region; the library's atomic Lua increment) when a
 * client is given, with the library's insurance limiter — this instance's memory — standing in while
 * Redis does not answer; in memory otherwise (embedded mode, one instance).
 */
export class FlexiblePasswordAttemptLimiter implements PasswordAttemptLimiter {
  private readonly limiter: RateLimiterAbstract;

  constructor(limits: PasswordAttemptLimits, store: { redis?: Redis; onFallback?: () => void } = {}) {
    const options: LimiterOptions = {
      keyPrefix: PASSWORD_ATTEMPTS_KEY_PREFIX,
      points: limits.maxFailures,
      duration: limits.windowSeconds,
    };
    this.limiter = store.redis
      ? new RateLimiterRedis({
          ...options,
          storeClient: store.redis,
          // not waiting for a Redis that is reconnecting: its commands fail at once (no offline queue)
          rejectIfRedisNotReady: true,
          insuranceLimiter: new CountedMemoryLimiter(options, store.onFallback ?? (() => {})),
        })
      : new RateLimiterMemory(options);
  }

  async attempt(account: string): Promise<PasswordAttemptVerdict> {
    try {
      await this.limiter.consume(accountKey(account));
      return { allowed: true, retryAfterSeconds: 0 };
    } catch (refused) {
      // the library rejects with its result when the budget is spent, with an Error when no store answered
      if (!(refused instanceof RateLimiterRes)) throw refused;
      return { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil(refused.msBeforeNext / 1000)) };
    }
  }

  async succeeded(account: string): Promise<void> {
    await this.limiter.delete(accountKey(account));
  }
}
