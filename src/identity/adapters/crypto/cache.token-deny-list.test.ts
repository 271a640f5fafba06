import { describe, expect, it } from 'vitest';
import type { CacheEntry } from '../../../platform/cache/cache.js';
import { MemoryCache } from '../../../platform/cache/memory-cache.js';
import { ManualClock } from '../../../platform/clock.js';
import type { UnitOfWork, UnitOfWorkScope } from '../../../platform/db/unit-of-work.js';
import { DENY_LIST_RELOAD_INTERVAL_MS, DenyListService } from '../../application/deny-list.service.js';
import type { DenyListBacklog, DenyListEntry, Revocation } from '../../application/identity.ports.js';
import type { IdentityRepos } from '../../application/identity.repositories.js';
import { CacheTokenDenyList, DENY_LIST_LOADED_KEY } from './cache.token-deny-list.js';

/** A cache that can be taken away, like Redis during an outage. */
class FlakyCache extends MemoryCache {
  down = false;
  private check(): void {
    if (this.down) throw new Error('cache down');
  }
  override async get(key: string): Promise<string | null> {
    this.check();
    return super.get(key);
  }
  override async getMany(keys: readonly string[]): Promise<(string | null)[]> {
    this.check();
    return super.getMany(keys);
  }
  override async set(key: string, value: string, ttlSeconds: number): Promise<void> {
    this.check();
    return super.set(key, value, ttlSeconds);
  }
  override async setMany(entries: readonly CacheEntry[]): Promise<void> {
    this.check();
    return super.setMany(entries);
  }
  override async exists(key: string): Promise<boolean> {
    this.check();
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

const setup = async () => {
  const clock = new ManualClock('2026-11-21T10:00:00Z');
  const cache = new FlakyCache(1000, clock);
  const backlog = new MemoryBacklog();
  // two instances sharing the cache and the backlog (Redis and Postgres)
  const a = new CacheTokenDenyList(cache, clock, backlog);
  const b = new CacheTokenDenyList(cache, clock, backlog);
  await a.load([]);
  const inSeconds = (seconds: number) => new Date(clock.now().getTime() + seconds * 1000);
  return { clock, cache, backlog, a, b, inSeconds };
};

describe('CacheTokenDenyList', () => {
  it('denies a revoked token on every instance sharing the cache', async () => {
    const { a, b, inSeconds } = await setup();
    await a.revokeToken('jti-1', inSeconds(900));
    expect(await b.isRevoked('jti-1', 'fam-1')).toBe(true);
    expect(await b.isRevoked('jti-2', 'fam-2')).toBe(false);
    await a.revokeFamily('fam-2', inSeconds(900));
    expect(await b.isRevoked('jti-2', 'fam-2')).toBe(true);
  });

  it('answers null while the cache is away, so the caller asks the database', async () => {
    const { cache, b } = await setup();
    cache.down = true;
    expect(await b.isRevoked('jti-1', 'fam-1')).toBeNull();
  });

  it('answers null, not "not revoked", until it has been loaded', async () => {
    const clock = new ManualClock('2026-11-21T10:00:00Z');
    const list = new CacheTokenDenyList(new MemoryCache(100, clock), clock);
    expect(await list.loadedAt()).toBeNull();
    expect(await list.isRevoked('jti-1', 'fam-1')).toBeNull();
    await list.load([]);
    expect(await list.loadedAt()).toEqual(clock.now());
    expect(await list.isRevoked('jti-1', 'fam-1')).toBe(false);
  });

  it('answers null once the cache lost its keys (restart, flush), and denies again once reloaded', async () => {
    const { clock, cache, a, b, inSeconds } = await setup();
    await a.revokeFamily('fam-1', inSeconds(900));
    await cache.close(); // everything gone, the loaded marker too
    expect(await b.isRevoked('jti-1', 'fam-1')).toBeNull();
    expect(await b.isRevoked('jti-2', 'fam-2')).toBeNull();
    clock.advance(100_000);
    await b.load([
      { kind: 'family', id: 'fam-1', until: inSeconds(800) },
      { kind: 'token', id: 'jti-3', until: inSeconds(50) },
      { kind: 'token', id: 'jti-gone', until: inSeconds(-1) }, // expired: not written
    ]);
    expect(await a.isRevoked('jti-1', 'fam-1')).toBe(true);
    expect(await a.isRevoked('jti-3', 'fam-3')).toBe(true);
    expect(await a.isRevoked('jti-2', 'fam-2')).toBe(false);
    expect(await cache.exists('identity:deny:jti:jti-gone')).toBe(false);
    // each key lives exactly as long as the tokens it denies
    clock.advance(50_000);
    expect(await a.isRevoked('jti-3', 'fam-3')).toBe(false);
    expect(await a.isRevoked('jti-1', 'fam-1')).toBe(true);
    clock.advance(750_000);
    expect(await a.isRevoked('jti-1', 'fam-1')).toBe(false);
    expect(await cache.exists(DENY_LIST_LOADED_KEY)).toBe(true);
  });

  it('keeps a write the cache refused in the backlog, and another instance copies it once the cache is back', async () => {
    const { clock, cache, backlog, a, b, inSeconds } = await setup();
    cache.down = true;
    await expect(a.revokeToken('jti-1', inSeconds(900))).rejects.toThrow('cache down');
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
    const { clock, cache, backlog, a, b, inSeconds } = await setup();
    cache.down = true;
    await expect(a.revokeFamily('fam-1', inSeconds(60))).rejects.toThrow();
    cache.down = false;
    clock.advance(61_000);
    await b.repair();
    expect(backlog.entries.size).toBe(0);
    expect(await b.isRevoked('jti-1', 'fam-1')).toBe(false);
  });

  it('still denies on the revoking instance when even the backlog cannot be written', async () => {
    const clock = new ManualClock();
    const cache = new FlakyCache(10, clock);
    const broken: DenyListBacklog = {
      add: () => Promise.reject(new Error('database down')),
      drain: () => Promise.resolve(0),
    };
    const a = new CacheTokenDenyList(cache, clock, broken);
    await a.load([]);
    cache.down = true;
    const until = new Date(clock.now().getTime() + 900_000);
    await expect(a.revokeToken('jti-1', until)).rejects.toThrow('cache down');
    expect(await a.isRevoked('jti-1', 'fam-1')).toBe(true);
    cache.down = false;
    expect(await a.repair()).toBe(1); // its own pending entry reaches the cache
    expect(await new CacheTokenDenyList(cache, clock).isRevoked('jti-1', 'fam-1')).toBe(true);
  });
});

/** Postgres's revocation records, as the repository exposes them. */
const records = (clock: ManualClock) => {
  const rows: Revocation[] = [];
  const calls = { list: 0, purge: 0 };
  const refreshTokens = {
    listLiveRevocations: async (now: Date) => {
      calls.list++;
      return rows.filter((r) => r.until > now);
    },
    purgeExpiredRevocations: async (now: Date) => {
      calls.purge++;
      const before = rows.length;
      for (let i = rows.length - 1; i >= 0; i--)
        if (rows[i]!.kind === 'token' && rows[i]!.until <= now) rows.splice(i, 1);
      return before - rows.length;
    },
  };
  const uow = {
    run: <T>(work: (scope: UnitOfWorkScope<IdentityRepos>) => Promise<T>) =>
      work({ repos: { refreshTokens } } as unknown as UnitOfWorkScope<IdentityRepos>),
  } as UnitOfWork<IdentityRepos>;
  const at = (seconds: number) => new Date(clock.now().getTime() + seconds * 1000);
  return { rows, calls, uow, at };
};

const setupService = () => {
  const clock = new ManualClock('2026-11-21T10:00:00Z');
  const cache = new MemoryCache(1000, clock);
  const denyList = new CacheTokenDenyList(cache, clock);
  const db = records(clock);
  const service = new DenyListService({ uow: db.uow, denyList, clock });
  return { clock, cache, denyList, db, service };
};

describe('DenyListService', () => {
  it('loads every live revocation from Postgres when the cache has none, and purges expired records', async () => {
    const { denyList, db, service } = setupService();
    db.rows.push(
      { kind: 'token', id: 'jti-1', until: db.at(600) },
      { kind: 'family', id: 'fam-2', until: db.at(300) },
      { kind: 'token', id: 'jti-old', until: db.at(-1) },
    );
    expect(await denyList.isRevoked('jti-1', 'fam-1')).toBeNull();
    expect(await service.ensureLoaded()).toBe(2);
    expect(db.rows.map((r) => r.id)).toEqual(['jti-1', 'fam-2']);
    expect(await denyList.isRevoked('jti-1', 'fam-1')).toBe(true);
    expect(await denyList.isRevoked('jti-9', 'fam-2')).toBe(true);
    expect(await denyList.isRevoked('jti-9', 'fam-9')).toBe(false);
  });

  it('does nothing while the cache holds a fresh load, and reloads hourly or once the cache lost it', async () => {
    const { clock, cache, db, service } = setupService();
    expect(await service.ensureLoaded()).toBe(0);
    clock.advance(DENY_LIST_RELOAD_INTERVAL_MS - 1);
    expect(await service.ensureLoaded()).toBeNull();
    expect(db.calls.list).toBe(1);
    clock.advance(1);
    expect(await service.ensureLoaded()).toBe(0);
    expect(db.calls.list).toBe(2);
    await cache.close(); // Redis restarted empty
    expect(await service.ensureLoaded()).toBe(0);
    expect(db.calls.list).toBe(3);
  });

  it('waits quietly while the cache is away (verification asks the database meanwhile)', async () => {
    const clock = new ManualClock();
    const db = records(clock);
    const denyList = new CacheTokenDenyList(new MemoryCache(10, clock), clock);
    denyList.loadedAt = () => Promise.reject(new Error('cache down'));
    const service = new DenyListService({ uow: db.uow, denyList, clock });
    expect(await service.ensureLoaded()).toBeNull();
    expect(db.calls.list).toBe(0);
  });
});
