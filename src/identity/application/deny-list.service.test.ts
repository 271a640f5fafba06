import { describe, expect, it } from 'vitest';
import { identityTestBed } from '../../../test/support/in-memory/identity.fakes.js';
import { DENY_LIST_RELOAD_INTERVAL_MS, DenyListService } from './deny-list.service.js';

const revocations = async () => {
  const bed = identityTestBed();
  const now = bed.clock.now().getTime();
  const refreshTokens = bed.repos.refreshTokens;
  await refreshTokens.recordRevokedAccessToken('live-jti', new Date(now + 2 * DENY_LIST_RELOAD_INTERVAL_MS));
  await refreshTokens.recordRevokedAccessToken('dead-jti', new Date(now - 1));
  await refreshTokens.insertFamily({
    id: 'fam-1',
    userId: 'u',
    createdAt: bed.clock.now(),
    revokedAt: bed.clock.now(),
    revokedReason: 'logout',
    accessExpiresAt: new Date(now + 2 * DENY_LIST_RELOAD_INTERVAL_MS),
  });
  return { bed, service: new DenyListService(bed.deps) };
};

describe('DenyListService', () => {
  it('loads the live revocations recorded in Postgres into a deny-list that is not loaded, and purges the expired ones', async () => {
    const { bed, service } = await revocations();
    expect(await service.ensureLoaded()).toBe(2);
    expect([...bed.denyList.tokens.keys()]).toEqual(['live-jti']);
    expect([...bed.denyList.families.keys()]).toEqual(['fam-1']);
    expect(bed.repos.refreshTokens.revokedAccessTokens.has('dead-jti')).toBe(false);
    expect(bed.denyList.loaded).toEqual(bed.clock.now());
  });

  it('leaves a deny-list loaded within the hour alone, and reloads it after', async () => {
    const { bed, service } = await revocations();
    await service.ensureLoaded();
    bed.clock.advance(DENY_LIST_RELOAD_INTERVAL_MS - 1);
    expect(await service.ensureLoaded()).toBeNull();
    bed.clock.advance(1);
    expect(await service.ensureLoaded()).toBe(2);
    expect(bed.denyList.loads).toBe(2);
  });

  it('does nothing while the cache is away (verification asks the database meanwhile)', async () => {
    const { bed, service } = await revocations();
    bed.denyList.away = true;
    expect(await service.ensureLoaded()).toBeNull();
    expect(bed.repos.refreshTokens.revokedAccessTokens.has('dead-jti')).toBe(true);
  });
});
