import { describe, expect, it } from 'vitest';
import type { Cache } from '../../../platform/cache/cache.js';
import { MemoryCache } from '../../../platform/cache/memory-cache.js';
import { ManualClock } from '../../../platform/clock.js';
import type { DenyListBacklog, DenyListEntry } from '../../application/identity.ports.js';
import { CacheTokenDenyList } from './cache-token-deny-list.js';

/** A cache that can be taken away, like Redis during an outage. */
class FlakyCache extends MemoryCache {
  down = false;
  override async set(key: string, value: string, ttlSeconds: number): Promise<void> {
    if (this.down) throw new Error('cache down');
    return super.set(key, value, ttlSeconds);
  }
  override async exists(key: string): Promise<boolean> {
    if (this.down) throw new Error('cache down');
    return super.exists(key);
  }
}

/** The backlog port's contract, in memory: entries leave only when `apply` resolves. */
class MemoryBacklog implements DenyListBacklog {
  readonly entries = new Map<string, Date>();
  async add({ key, expiresAt }: DenyListEntry): Promise<void> {
    this.entries.set(key, expiresAt);
  }
  async drain(limit: number, apply: (entries: DenyListEntry[]) => Promise<void>): Promise<number> {
    const batch = [...this.entries].slice(0, limit).map(([key, expiresAt]) => ({ key, expiresAt }));
    if (batch.length === 0) return 0;
    await apply(batch);
    for (const { key } of batch) this.entries.delete(key);
    return batch.length;
  }
}

const setup = () => {
  const clock = new ManualClock('2026-11-21T10:00:00Z');
  const cache = new FlakyCache(1000, clock);
  const backlog = new MemoryBacklog();
  // two instances sharing the cache and the backlog (Redis and Postgres)
  const a = new CacheTokenDenyList(cache, clock, backlog);
  const b = new CacheTokenDenyList(cache, clock, backlog);
  return { clock, cache, backlog, a, b };
};

describe('CacheTokenDenyList', () => {
  it('denies a revoked token on every instance sharing the cache', async () => {
    const { a, b } = setup();
    await a.revokeToken('jti-1', 900);
    expect(await b.isRevoked('jti-1', 'fam-1')).toBe(true);
    expect(await b.isRevoked('jti-2', 'fam-2')).toBe(false);
    await a.revokeFamily('fam-2', 900);
    expect(await b.isRevoked('jti-2', 'fam-2')).toBe(true);
  });

  it('answers null while the cache is away, so the caller asks the database', async () => {
    const { cache, b } = setup();
    cache.down = true;
    expect(await b.isRevoked('jti-1', 'fam-1')).toBeNull();
  });

  it('keeps a write the cache refused in the backlog, and another instance copies it once the cache is back', async () => {
    const { clock, cache, backlog, a, b } = setup();
    cache.down = true;
    await expect(a.revokeToken('jti-1', 900)).rejects.toThrow('cache down');
    expect(await a.isRevoked('jti-1', 'fam-1')).toBe(true); // the revoking instance denies it meanwhile
    expect([...backlog.entries.keys()]).toEqual(['identity:deny:jti:jti-1']);

    // still down: a repair pass fails and leaves the backlog as it was
    await expect(b.repair()).rejects.toThrow('cache down');
    expect(backlog.entries.size).toBe(1);

    cache.down = false;
    expect(await b.isRevoked('jti-1', 'fam-1')).toBe(false); // not in the cache yet
    clock.advance(100_000);
    expect(await b.repair()).toBe(1);
    expect(backlog.entries.size).toBe(0);
    expect(await b.isRevoked('jti-1', 'fam-1')).toBe(true);
    // for the rest of the token's life only: 900 s − 100 s
    clock.advance(799_000);
    expect(await b.isRevoked('jti-1', 'fam-1')).toBe(true);
    clock.advance(2_000);
    expect(await b.isRevoked('jti-1', 'fam-1')).toBe(false);
  });

  it('drops entries whose tokens have expired by the time the cache returns', async () => {
    const { clock, cache, backlog, a, b } = setup();
    cache.down = true;
    await expect(a.revokeFamily('fam-1', 60)).rejects.toThrow();
    cache.down = false;
    clock.advance(61_000);
    await b.repair();
    expect(backlog.entries.size).toBe(0);
    expect(await b.isRevoked('jti-1', 'fam-1')).toBe(false);
  });

  it('still denies on the revoking instance when even the backlog cannot be written', async () => {
    const clock = new ManualClock();
    const cache: Cache = new FlakyCache(10, clock);
    (cache as FlakyCache).down = true;
    const broken: DenyListBacklog = {
      add: () => Promise.reject(new Error('database down')),
      drain: () => Promise.resolve(0),
    };
    const a = new CacheTokenDenyList(cache, clock, broken);
    await expect(a.revokeToken('jti-1', 900)).rejects.toThrow('cache down');
    expect(await a.isRevoked('jti-1', 'fam-1')).toBe(true);
    (cache as FlakyCache).down = false;
    expect(await a.repair()).toBe(1); // its own pending entry reaches the cache
    expect(await new CacheTokenDenyList(cache, clock).isRevoked('jti-1', 'fam-1')).toBe(true);
  });
});
