import { describe, expect, it } from 'vitest';
import type { UnitOfWork } from '../../platform/db/unit-of-work.js';
import { IdentityAccessTokenVerifier } from './access-token-verifier.service.js';
import type { IdentityDeps } from './identity.deps.js';
import type { IdentityRepos } from './identity.repositories.js';

const principal = {
  userId: 'u',
  roles: ['customer' as const],
  tokenId: 'jti',
  familyId: 'fam',
  expiresAt: new Date(),
};

/** A verifier whose deny-list answers `cached` and whose database says `inDb`. */
const verifier = (cached: boolean | null | Error, inDb: boolean) => {
  const outcomes: string[] = [];
  let dbChecks = 0;
  const read = {
    run: async (work: (scope: { repos: IdentityRepos }) => Promise<unknown>) =>
      work({
        repos: {
          refreshTokens: {
            isRevoked: async () => {
              dbChecks++;
              return inDb;
            },
          },
        } as unknown as IdentityRepos,
      }),
  } as unknown as UnitOfWork<IdentityRepos>;
  const deps = {
    tokens: { verify: async () => principal },
    denyList: {
      isRevoked: async () => {
        if (cached instanceof Error) throw cached;
        return cached;
      },
    },
    read,
    audit: (o: string) => outcomes.push(o),
  } as unknown as IdentityDeps;
  return { v: new IdentityAccessTokenVerifier(deps), outcomes, dbChecks: () => dbChecks };
};

describe('IdentityAccessTokenVerifier', () => {
  it('trusts the loaded deny-list without asking the database', async () => {
    const ok = verifier(false, true);
    await expect(ok.v.verify('t')).resolves.toMatchObject({ userId: 'u' });
    expect(ok.dbChecks()).toBe(0);
    const revoked = verifier(true, false);
    await expect(revoked.v.verify('t')).rejects.toMatchObject({ code: 'UNAUTHENTICATED' });
  });

  it('asks the database when the deny-list cannot answer (not loaded, or the cache is down) and counts it', async () => {
    for (const cached of [null, new Error('redis down')]) {
      const denied = verifier(cached, true);
      await expect(denied.v.verify('t')).rejects.toMatchObject({ code: 'UNAUTHENTICATED' });
      expect(denied.dbChecks()).toBe(1);
      expect(denied.outcomes).toEqual(['revocation_checked_in_db']);
      const allowed = verifier(cached, false);
      await expect(allowed.v.verify('t')).resolves.toMatchObject({ userId: 'u' });
    }
  });
});
