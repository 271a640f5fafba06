import type { Cache, CacheEntry } from '../../../platform/cache/cache.js';
import type { Clock } from '../../../platform/clock.js';
import { systemClock } from '../../../platform/clock.js';
import type {
  DenyListBacklog,
  DenyListEntry,
  Revocation,
  TokenDenyList,
} from '../../application/identity.ports.js';

const REPAIR_BATCH = 200;
const jtiKey = (jti: string) => `identity:deny:jti:${jti}`;
const fidKey = (familyId: string) => `identity:deny:fid:${familyId}`;
/** Present while the cache holds every revocation Postgres knows; its value is when it was loaded. */
export const DENY_LIST_LOADED_KEY = 'identity:deny:loaded';
/** The marker outlives the hourly reload (DENY_LIST_RELOAD_INTERVAL_MS) with room to spare. */
const LOADED_TTL_SECONDS = 86_400;

/**
 * Deny-list in the Cache port (Redis in full mode, process memory in embedded mode); keys expire
 * with the tokens they deny. Postgres holds the same revocations: the cache is the fast path, not the
 * only memory.
 *
 * The cache answers "not revoked" only while it holds the loaded marker, read in the same MGET as the
 * keys: a restart, FLUSHDB or new process drops the marker with the keys, and until {@link load} has
 * written them back (with the marker, atomically) the caller asks the database.
 *
 * A write that fails while the cache is away goes to the backlog (Postgres), and this instance keeps
 * denying the token meanwhile. Every instance runs {@link repair} every couple of seconds, so once the
 * cache answers again the entry reaches it even if the instance that revoked the token is gone.
 */
export class CacheTokenDenyList implements TokenDenyList {
  private readonly pending = new Map<string, number>();

  constructor(
    private readonly cache: Cache,
    private readonly clock: Clock = systemClock,
    private readonly backlog?: DenyListBacklog,
  ) {}

  revokeToken(jti: string, until: Date): Promise<void> {
    return this.write(jtiKey(jti), until);
  }

  revokeFamily(familyId: string, until: Date): Promise<void> {
    return this.write(fidKey(familyId), until);
  }

  private secondsUntil(until: Date): number {
    return Math.ceil((until.getTime() - this.clock.now().getTime()) / 1000);
  }

  private async write(key: string, until: Date): Promise<void> {
    const ttl = this.secondsUntil(until);
    if (ttl <= 0) return; // the tokens it would deny have expired
    try {
      await this.cache.set(key, '1', ttl);
    } catch (err) {
      this.pending.set(key, until.getTime());
      // best effort: the database's revocation record still denies the token while the cache is away
      await this.backlog?.add({ key, expiresAt: until }).catch(() => {});
      throw err;
    }
  }

  async loadedAt(): Promise<Date | null> {
    const value = await this.cache.get(DENY_LIST_LOADED_KEY);
    const at = value === null ? null : new Date(value);
    return at && !Number.isNaN(at.getTime()) ? at : null;
  }

  async load(revocations: readonly Revocation[]): Promise<void> {
    const entries: CacheEntry[] = [];
    for (const r of revocations) {
      const ttlSeconds = this.secondsUntil(r.until);
      if (ttlSeconds > 0)
        entries.push({ key: r.kind === 'token' ? jtiKey(r.id) : fidKey(r.id), value: '1', ttlSeconds });
    }
    entries.push({
      key: DENY_LIST_LOADED_KEY,
      value: this.clock.now().toISOString(),
      ttlSeconds: LOADED_TTL_SECONDS,
    });
    await this.cache.setMany(entries);
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
    for (const { key, expiresAt } of entries) {
      const ttl = this.secondsUntil(expiresAt);
      if (ttl > 0) await this.cache.set(key, '1', ttl);
    }
  }

  async isRevoked(jti: string, familyId: string): Promise<boolean | null> {
    const keys = [jtiKey(jti), fidKey(familyId)];
    if (keys.some((k) => this.pending.has(k))) return true;
    let answer: (string | null)[];
    try {
      answer = await this.cache.getMany([...keys, DENY_LIST_LOADED_KEY]);
    } catch {
      return null;
    }
    const [token, family, loaded] = answer;
    if (token !== null || family !== null) return true;
    return loaded === null ? null : false;
  }
}
