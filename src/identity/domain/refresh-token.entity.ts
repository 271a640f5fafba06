import type { Id } from '../../platform/ids.js';

export interface RefreshFamily {
  id: Id;
  userId: Id;
  createdAt: Date;
  revokedAt: Date | null;
  revokedReason: string | null;
  /** When the last access token issued in this family expires: a revoked family is denied until then. */
  accessExpiresAt: Date;
}

export interface RefreshToken {
  id: Id;
  familyId: Id;
  tokenHash: string;
  issuedAt: Date;
  expiresAt: Date;
  usedAt: Date | null;
}

export type RefreshVerdict =
  | { kind: 'rotate' }
  | { kind: 'reuse' } // a spent token came back: someone else has it; revoke the family
  | { kind: 'revoked' }
  | { kind: 'expired' };

/**
 * Rotation rule: a refresh token can be exchanged exactly once, before it expires, while its family
 * stands. Presenting one that was already exchanged is reuse — a sign of theft — and revokes the family.
 */
export const judgeRefresh = (token: RefreshToken, family: RefreshFamily, now: Date): RefreshVerdict => {
  if (family.revokedAt) return { kind: 'revoked' };
  if (token.usedAt) return { kind: 'reuse' };
  if (token.expiresAt.getTime() <= now.getTime()) return { kind: 'expired' };
  return { kind: 'rotate' };
};
