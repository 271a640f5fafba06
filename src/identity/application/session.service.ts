import { newId } from '../../platform/ids.js';
import type { User } from '../domain/user.aggregate.js';
import type { IdentityDeps } from './identity.deps.js';
import type { IssuedAccessToken } from './identity.ports.js';
import type { IdentityRepos } from './identity.repositories.js';

export interface Session {
  accessToken: string;
  refreshToken: string;
  expiresIn: number;
  tokenType: 'Bearer';
}

/** Starts a refresh-token family for the user and issues its first token pair (inside the caller's transaction). */
export const startSession = async (
  deps: IdentityDeps,
  repos: IdentityRepos,
  user: User,
): Promise<Session> => {
  const familyId = newId();
  const access = await deps.tokens.issue({ userId: user.id, roles: user.roles, familyId });
  await repos.refreshTokens.insertFamily({
    id: familyId,
    userId: user.id,
    createdAt: deps.clock.now(),
    revokedAt: null,
    revokedReason: null,
    accessExpiresAt: access.expiresAt,
  });
  return pairWith(deps, repos, familyId, access);
};

/** Issues the next pair of an existing family (whose row the caller holds locked). */
export const continueSession = async (
  deps: IdentityDeps,
  repos: IdentityRepos,
  user: User,
  familyId: string,
): Promise<Session> => {
  const access = await deps.tokens.issue({ userId: user.id, roles: user.roles, familyId });
  // a revocation of the family must deny this token too, for as long as it lives
  await repos.refreshTokens.extendAccessExpiry(familyId, access.expiresAt);
  return pairWith(deps, repos, familyId, access);
};

const pairWith = async (
  deps: IdentityDeps,
  repos: IdentityRepos,
  familyId: string,
  access: IssuedAccessToken,
): Promise<Session> => {
  const now = deps.clock.now();
  const refresh = deps.refreshCodec.generate();
  await repos.refreshTokens.insertToken({
    id: newId(),
    familyId,
    tokenHash: refresh.hash,
    issuedAt: now,
    expiresAt: new Date(now.getTime() + deps.refreshTtlSeconds * 1000),
    usedAt: null,
  });
  return {
    accessToken: access.token,
    refreshToken: refresh.token,
    expiresIn: access.expiresIn,
    tokenType: 'Bearer',
  };
};
