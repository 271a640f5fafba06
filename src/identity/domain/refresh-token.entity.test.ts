import { describe, expect, it } from 'vitest';
import { judgeRefresh, type RefreshFamily, type RefreshToken } from './refresh-token.entity.js';

const issuedAt = new Date('2026-03-01T00:00:00Z');
const expiresAt = new Date('2026-03-08T00:00:00Z');

const family = (over: Partial<RefreshFamily> = {}): RefreshFamily => ({
  id: 'fam-1',
  userId: 'user-1',
  createdAt: issuedAt,
  revokedAt: null,
  revokedReason: null,
  accessExpiresAt: new Date('2026-03-01T00:15:00Z'),
  ...over,
});

const token = (over: Partial<RefreshToken> = {}): RefreshToken => ({
  id: 'tok-1',
  familyId: 'fam-1',
  tokenHash: 'hash',
  issuedAt,
  expiresAt,
  usedAt: null,
  ...over,
});

const at = (iso: string) => new Date(iso);

describe('judgeRefresh', () => {
  it('rotates an unused, unexpired token of a standing family', () => {
    expect(judgeRefresh(token(), family(), at('2026-03-02T00:00:00Z'))).toEqual({ kind: 'rotate' });
  });

  it('rotates one millisecond before expiry', () => {
    expect(judgeRefresh(token(), family(), new Date(expiresAt.getTime() - 1))).toEqual({ kind: 'rotate' });
  });

  it('calls a token that was already exchanged reuse', () => {
    const used = token({ usedAt: at('2026-03-01T01:00:00Z') });
    expect(judgeRefresh(used, family(), at('2026-03-02T00:00:00Z'))).toEqual({ kind: 'reuse' });
  });

  it('calls a spent token reuse even after it expired (theft signal wins over expiry)', () => {
    const used = token({ usedAt: at('2026-03-01T01:00:00Z') });
    expect(judgeRefresh(used, family(), at('2026-04-01T00:00:00Z'))).toEqual({ kind: 'reuse' });
  });

  it('answers revoked when the family is revoked, whatever the token', () => {
    const revoked = family({ revokedAt: at('2026-03-01T12:00:00Z'), revokedReason: 'logout' });
    const now = at('2026-03-02T00:00:00Z');
    expect(judgeRefresh(token(), revoked, now)).toEqual({ kind: 'revoked' });
    expect(judgeRefresh(token({ usedAt: at('2026-03-01T01:00:00Z') }), revoked, now)).toEqual({
      kind: 'revoked',
    });
    expect(judgeRefresh(token(), revoked, at('2026-05-01T00:00:00Z'))).toEqual({ kind: 'revoked' });
  });

  it('is expired at exactly expiresAt', () => {
    expect(judgeRefresh(token(), family(), new Date(expiresAt.getTime()))).toEqual({ kind: 'expired' });
  });

  it('is expired after expiresAt', () => {
    expect(judgeRefresh(token(), family(), at('2026-03-09T00:00:00Z'))).toEqual({ kind: 'expired' });
  });
});
