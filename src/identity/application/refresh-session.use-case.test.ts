import { describe, expect, it } from 'vitest';
import { identityTestBed, seedUser } from '../../../test/support/in-memory/identity.fakes.js';
import { LogIn } from './log-in.use-case.js';
import { RefreshSession } from './refresh-session.use-case.js';

const PASSWORD = 'correct horse battery';

const loggedIn = async () => {
  const bed = identityTestBed();
  const user = await seedUser(bed, { email: 'ada@example.com', password: PASSWORD });
  const { session } = await new LogIn(bed.deps).execute({ email: 'ada@example.com', password: PASSWORD });
  bed.audits.length = 0;
  return { bed, user, session, refresh: new RefreshSession(bed.deps) };
};

describe('RefreshSession', () => {
  it('exchanges a refresh token once for a new pair in the same family, counted refresh_ok', async () => {
    const { bed, user, session, refresh } = await loggedIn();
    bed.clock.advance(60_000);
    const next = await refresh.execute(session.refreshToken);
    expect(next.user.id).toBe(user.id);
    expect(next.session.refreshToken).not.toBe(session.refreshToken);
    expect(next.session.accessToken).toBe('at-2');
    expect(bed.tokens.issued[1]?.familyId).toBe(bed.tokens.issued[0]?.familyId);
    const old = [...bed.repos.refreshTokens.tokens.values()].find(
      (t) => t.tokenHash === bed.deps.refreshCodec.hash(session.refreshToken),
    );
    expect(old?.usedAt).toEqual(bed.clock.now());
    expect(bed.audits).toEqual(['refresh_ok']);
  });

  it("keeps the family's access expiry at its newest access token, so a revocation denies that one too", async () => {
    const { bed, session, refresh } = await loggedIn();
    bed.clock.advance(60_000);
    await refresh.execute(session.refreshToken);
    const [family] = [...bed.repos.refreshTokens.families.values()];
    expect(family?.accessExpiresAt).toEqual(bed.tokens.issued[1]?.expiresAt);
  });

  it('a spent refresh token presented again is reuse: the whole family is revoked and denied, and the call fails', async () => {
    const { bed, session, refresh } = await loggedIn();
    const next = await refresh.execute(session.refreshToken);
    await expect(refresh.execute(session.refreshToken)).rejects.toMatchObject({
      code: 'UNAUTHENTICATED',
      message: 'The refresh token was already used; the session has been revoked',
    });
    const [family] = [...bed.repos.refreshTokens.families.values()];
    expect(family).toMatchObject({ revokedReason: 'refresh token reuse', revokedAt: bed.clock.now() });
    expect(bed.denyList.families.get(family!.id)).toEqual(family?.accessExpiresAt);
    expect(bed.audits).toEqual(['refresh_ok', 'refresh_reuse']);
    // the pair handed out before the reuse dies with the family
    await expect(refresh.execute(next.session.refreshToken)).rejects.toMatchObject({
      code: 'UNAUTHENTICATED',
    });
  });

  it('an unknown refresh token is refused as refresh_invalid', async () => {
    const { bed, refresh } = await loggedIn();
    await expect(refresh.execute('rt_nothing')).rejects.toMatchObject({ code: 'UNAUTHENTICATED' });
    expect(bed.audits).toEqual(['refresh_invalid']);
  });

  it('an expired refresh token is refused and leaves the family standing', async () => {
    const { bed, session, refresh } = await loggedIn();
    bed.clock.advance(3600_000);
    await expect(refresh.execute(session.refreshToken)).rejects.toMatchObject({ code: 'UNAUTHENTICATED' });
    expect([...bed.repos.refreshTokens.families.values()][0]?.revokedAt).toBeNull();
    expect(bed.audits).toEqual(['refresh_invalid']);
  });

  it("an erased account's refresh token is refused", async () => {
    const { bed, user, session, refresh } = await loggedIn();
    bed.repos.users.rows.get(user.id)!.status = 'erased';
    await expect(refresh.execute(session.refreshToken)).rejects.toMatchObject({ code: 'UNAUTHENTICATED' });
    expect(bed.tokens.issued).toHaveLength(1);
  });
});
