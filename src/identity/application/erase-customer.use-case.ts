import { activeUser } from './active-user.service.js';
import type { IdentityDeps } from './identity.deps.js';

/**
 * GDPR erasure: personal fields scrubbed, addresses deleted, every session revoked (every refresh
 * family, so every access token of the account is denied until it expires), CustomerErased
 * written to the outbox (other contexts anonymise what they hold when they see it).
 */
export class EraseCustomer {
  constructor(private readonly deps: Pick<IdentityDeps, 'uow' | 'clock' | 'denyList'>) {}

  async execute(userId: string, current: { tokenId: string; expiresAt: Date }): Promise<void> {
    const now = this.deps.clock.now();
    await this.deps.uow.run(async ({ repos, track, afterCommit }) => {
      const user = track(await activeUser(repos, userId, true));
      user.erase(now);
      await repos.users.update(user);
      await repos.addresses.deleteAllOf(userId);
      await repos.refreshTokens.recordRevokedAccessToken(current.tokenId, current.expiresAt);
      const families = await repos.refreshTokens.revokeAllOfUser(userId, 'erasure', now);
      // recorded in Postgres above; the deny-list writes are the fast path for it, once it committed
      afterCommit(async () => {
        await Promise.all([
          this.deps.denyList.revokeToken(current.tokenId, current.expiresAt),
          ...families.map((f) => this.deps.denyList.revokeFamily(f.familyId, f.accessExpiresAt)),
        ]).catch(() => {});
      });
    });
  }
}
