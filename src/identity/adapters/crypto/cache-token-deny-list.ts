import type { Cache } from '../../../platform/cache/cache.js';
import type { Clock } from '../../../platform/clock.js';
import { systemClock } from '../../../platform/clock.js';
import type { TokenDenyList } from '../../application/identity.ports.js';

/**
 * Deny-list in the Cache port (Redis in full mode); keys expire with the tokens they deny.
 * A write that fails while the cache is away is kept here and retried, and this instance keeps
 * denying it meanwhile; the database holds the durable record that verification falls back to.
 */
export class CacheTokenDenyList implements TokenDenyList {
  private readonly pending = new Map<string, number>();
  private lastFlush = 0;

  constructor(
    private readonly cache: Cache,
    private readonly clock: Clock = systemClock,
  ) {}

  revokeToken(jti: string, ttlSeconds: number): Promise<void> {
    return this.write(`identity:deny:jti:${jti}`, ttlSeconds);
  }

  revokeFamily(familyId: string, ttlSeconds: number): Promise<void> {
    return this.write(`identity:deny:fid:${familyId}`, ttlSeconds);
  }

  private async write(key: string, ttlSeconds: number): Promise<void> {
    try {
      await this.cache.set(key, '1', ttlSeconds);
    } catch (err) {
      this.pending.set(key, this.clock.now().getTime() + ttlSeconds * 1000);
      throw err;
    }
  }

  private async flush(): Promise<void> {
    const now = this.clock.now().getTime();
    if (this.pending.size === 0 || now - this.lastFlush < 1000) return;
    this.lastFlush = now;
    for (const [key, expiresAt] of this.pending) {
      const ttl = Math.ceil((expiresAt - now) / 1000);
      if (ttl > 0) await this.cache.set(key, '1', ttl);
      this.pending.delete(key);
    }
  }

  async isRevoked(jti: string, familyId: string): Promise<boolean | null> {
    const keys = [`identity:deny:jti:${jti}`, `identity:deny:fid:${familyId}`];
    if (keys.some((k) => this.pending.has(k))) return true;
    try {
      await this.flush();
      const [a, b] = await Promise.all(keys.map((k) => this.cache.exists(k)));
      return Boolean(a || b);
    } catch {
      return null;
    }
  }
}
