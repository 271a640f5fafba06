import type { Cache } from '../../../platform/cache/cache.js';
import type { Clock } from '../../../platform/clock.js';
import { systemClock } from '../../../platform/clock.js';
import type { DenyListBacklog, DenyListEntry, TokenDenyList } from '../../application/identity.ports.js';

const REPAIR_BATCH = 200;

/**
 * Deny-list in the Cache port (Redis in full mode); keys expire with the tokens they deny.
 *
 * A write that fails while the cache is away goes to the backlog (Postgres), and this instance keeps
 * denying the token meanwhile. Every instance runs {@link repair} every couple of seconds, so once the
 * cache answers again the entry reaches it even if the instance that revoked the token is gone. While
 * the cache cannot answer, verification falls back to the database's own revocation records.
 */
export class CacheTokenDenyList implements TokenDenyList {
  private readonly pending = new Map<string, number>();

  constructor(
    private readonly cache: Cache,
    private readonly clock: Clock = systemClock,
    private readonly backlog?: DenyListBacklog,
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
      const expiresAt = this.clock.now().getTime() + ttlSeconds * 1000;
      this.pending.set(key, expiresAt);
      // best effort: the database's revocation record still denies the token while the cache is away
      await this.backlog?.add({ key, expiresAt: new Date(expiresAt) }).catch(() => {});
      throw err;
    }
  }

  /**
   * Copies backlog entries into the cache (and forgets this instance's pending ones that made it).
   * Rejects, leaving the backlog as it was, while the cache is still away. Returns how many it copied.
   */
  async repair(): Promise<number> {
    let total = 0;
    for (;;) {
      const n = this.backlog ? await this.backlog.drain(REPAIR_BATCH, (entries) => this.copy(entries)) : 0;
      total += n;
      if (n < REPAIR_BATCH) break;
    }
    const mine = [...this.pending].map(([key, ms]) => ({ key, expiresAt: new Date(ms) }));
    if (mine.length > 0) {
      await this.copy(mine);
      for (const { key } of mine) this.pending.delete(key);
    }
    return total + mine.length;
  }

  private async copy(entries: DenyListEntry[]): Promise<void> {
    const now = this.clock.now().getTime();
    for (const { key, expiresAt } of entries) {
      const ttl = Math.ceil((expiresAt.getTime() - now) / 1000);
      if (ttl > 0) await this.cache.set(key, '1', ttl);
    }
  }

  async isRevoked(jti: string, familyId: string): Promise<boolean | null> {
    const keys = [`identity:deny:jti:${jti}`, `identity:deny:fid:${familyId}`];
    if (keys.some((k) => this.pending.has(k))) return true;
    try {
      const [a, b] = await Promise.all(keys.map((k) => this.cache.exists(k)));
      return Boolean(a || b);
    } catch {
      return null;
    }
  }
}
