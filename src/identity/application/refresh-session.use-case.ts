import { InvalidRefreshTokenError } from '../domain/identity.errors.js';
import { judgeRefresh } from '../domain/refresh-token.entity.js';
import type { User } from '../domain/user.aggregate.js';
import type { IdentityDeps } from './identity.deps.js';
import { continueSession, type Session } from './session.service.js';

/**
 * Exchanges a refresh token for a new pair. A token that was already exchanged is reuse: the whole
 * family is revoked (also its live access tokens, through the deny-list) and the call fails.
 */
export class RefreshSession {
  constructor(private readonly deps: IdentityDeps) {}

  async execute(refreshToken: string): Promise<{ user: User; session: Session }> {
    const hash = this.deps.refreshCodec.hash(refreshToken);
    const outcome = await this.deps.uow.run(async ({ repos, afterCommit }) => {
      const found = await repos.refreshTokens.findByHashForUpdate(hash);
      if (!found) return { kind: 'invalid' as const };
      const now = this.deps.clock.now();
      const verdict = judgeRefresh(found.token, found.family, now);
      if (verdict.kind === 'reuse') {
        const familyId = found.family.id;
        const until = await repos.refreshTokens.revokeFamily(familyId, 'refresh token reuse', now);
        // the revocation is recorded in Postgres; the deny-list write is the fast path for it
        if (until) afterCommit(() => this.deps.denyList.revokeFamily(familyId, until).catch(() => {}));
        return { kind: 'reuse' as const };
      }
      if (verdict.kind !== 'rotate') return { kind: 'invalid' as const };
      const user = await repos.users.findById(found.family.userId);
      if (!user?.isActive) return { kind: 'invalid' as const };
      await repos.refreshTokens.markUsed(found.token.id, now);
      const session = await continueSession(this.deps, repos, user, found.family.id);
      return { kind: 'ok' as const, user, session };
    });
    this.deps.audit(
      outcome.kind === 'ok' ? 'refresh_ok' : outcome.kind === 'reuse' ? 'refresh_reuse' : 'refresh_invalid',
    );
    if (outcome.kind === 'reuse') {
      throw new InvalidRefreshTokenError('The refresh token was already used; the session has been revoked');
    }
    if (outcome.kind === 'invalid') throw new InvalidRefreshTokenError();
    return { user: outcome.user, session: outcome.session };
  }
}
