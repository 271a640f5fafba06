import type { IdentityDeps } from './identity.deps.js';

/** The presented access token and its refresh family stop working at once (recorded in Postgres). */
export class LogOut {
  constructor(private readonly deps: IdentityDeps) {}

  async execute(principal: { tokenId: string; familyId: string; expiresAt: Date }): Promise<void> {
    const now = this.deps.clock.now();
    await this.deps.uow.run(async ({ repos, afterCommit }) => {
      await repos.refreshTokens.recordRevokedAccessToken(principal.tokenId, principal.expiresAt);
      const familyUntil = await repos.refreshTokens.revokeFamily(principal.familyId, 'logout', now);
      // recorded in Postgres above; the deny-list writes are the fast path for it, once it committed
      afterCommit(async () => {
        await Promise.all([
          this.deps.denyList.revokeToken(principal.tokenId, principal.expiresAt),
          familyUntil ? this.deps.denyList.revokeFamily(principal.familyId, familyUntil) : undefined,
        ]).catch(() => {});
      });
    });
    this.deps.audit('logout');
  }
}
