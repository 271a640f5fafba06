import type { IdentityDeps } from './identity.deps.js';

/**
 * How often the deny-list is rebuilt from Postgres although nothing was lost: it refreshes every key
 * (and brings back any a cache eviction took) and purges expired revocation records.
 */
export const DENY_LIST_RELOAD_INTERVAL_MS = 3_600_000;

/**
 * Keeps the fast deny-list in step with the revocations recorded in Postgres: it is (re)built when
 * the instance starts, whenever the cache has lost it (its loaded marker is gone: Redis restarted or
 * was flushed, a new process), and hourly. Until it is loaded, verification asks the database.
 */
export class DenyListService {
  constructor(private readonly deps: Pick<IdentityDeps, 'uow' | 'denyList' | 'clock'>) {}

  /** Loads the deny-list if it needs it; returns how many revocations it loaded, or null if none was needed. */
  async ensureLoaded(): Promise<number | null> {
    let loadedAt: Date | null;
    try {
      loadedAt = await this.deps.denyList.loadedAt();
    } catch {
      // the cache is away: verification asks the database meanwhile; the next pass tries again
      return null;
    }
    const now = this.deps.clock.now();
    if (loadedAt && now.getTime() - loadedAt.getTime() < DENY_LIST_RELOAD_INTERVAL_MS) return null;
    const revocations = await this.deps.uow.run(async ({ repos }) => {
      await repos.refreshTokens.purgeExpiredRevocations(now);
      return repos.refreshTokens.listLiveRevocations(now);
    });
    await this.deps.denyList.load(revocations);
    return revocations.length;
  }
}
