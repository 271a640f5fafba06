import { newId } from '../../platform/ids.js';
import type { User } from '../domain/user.aggregate.js';
import type { IdentityDeps } from './identity.deps.js';
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
  const now = deps.clock.now();
  const familyId = newId();
  await repos.refreshTokens.insertFamily({
    id: familyId,
    userId: user.id,
    createdAt: now,
    revokedAt: null,
    revokedReason: null,
  });
  return continueSession(deps, repos, user, familyId);
};

/** Issues the next pair of an existing family. */
export const continueSession = async (
  deps: IdentityDeps,
  repos: IdentityRepos,
  user: User,
  familyId: string,
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
  const access = await deps.tokens.issue({ userId: user.id, roles: user.roles, familyId });
  return {
    accessToken: access.token,
    refreshToken: refresh.token,
    expiresIn: access.expiresIn,
    tokenType: 'Bearer',
  };
};
