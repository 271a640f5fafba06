import { describe, expect, it } from 'vitest';
import { identityTestBed, seedUser } from '../../../test/support/in-memory/identity.fakes.js';
import { LogIn } from './log-in.use-case.js';
import { LogOut } from './log-out.use-case.js';
import { RefreshSession } from './refresh-session.use-case.js';

const PASSWORD = 'correct horse battery';

describe('LogOut', () => {
  it('records the access token and its family as revoked, then writes both to the deny-list', async () => {
    const bed = identityTestBed();
    await seedUser(bed, { email: 'ada@example.com', password: PASSWORD });
    const { session } = await new LogIn(bed.deps).execute({ email: 'ada@example.com', password: PASSWORD });
    const principal = await bed.tokens.verify(session.accessToken);
    await new LogOut(bed.deps).execute(principal);
    expect(bed.repos.refreshTokens.revokedAccessTokens.get(principal.tokenId)).toEqual(principal.expiresAt);
    expect(bed.repos.refreshTokens.families.get(principal.familyId)).toMatchObject({
      revokedReason: 'logout',
    });
    expect(bed.denyList.tokens.get(principal.tokenId)).toEqual(principal.expiresAt);
    expect(bed.denyList.families.has(principal.familyId)).toBe(true);
    expect(bed.audits.at(-1)).toBe('logout');
    await expect(new RefreshSession(bed.deps).execute(session.refreshToken)).rejects.toMatchObject({
      code: 'UNAUTHENTICATED',
    });
  });

  it('succeeds while the deny-list is away: the revocation is recorded durably all the same', async () => {
    const bed = identityTestBed();
    await seedUser(bed, { email: 'ada@example.com', password: PASSWORD });
    const { session } = await new LogIn(bed.deps).execute({ email: 'ada@example.com', password: PASSWORD });
    const principal = await bed.tokens.verify(session.accessToken);
    bed.denyList.away = true;
    await new LogOut(bed.deps).execute(principal);
    expect(await bed.repos.refreshTokens.isRevoked(principal.tokenId, principal.familyId)).toBe(true);
  });
});
