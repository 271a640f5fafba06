import { UnauthenticatedError } from '../../platform/errors.js';
import type { AccessTokenVerifier, Principal } from '../../platform/http/auth.js';
import type { IdentityDeps } from './identity.deps.js';

/**
 * Verifies a bearer token for the route guards: signature, region issuer, expiry, then revocation —
 * asked of the cache deny-list and, when the cache cannot answer, of the database.
 */
export class IdentityAccessTokenVerifier implements AccessTokenVerifier {
  constructor(private readonly deps: IdentityDeps) {}

  async verify(token: string): Promise<Principal & { familyId: string }> {
    const principal = await this.deps.tokens.verify(token);
    let revoked = await this.deps.denyList.isRevoked(principal.tokenId, principal.familyId).catch(() => null);
    if (revoked === null) {
      revoked = await this.deps.read.run(
        async ({ repos }) =>
          (await repos.refreshTokens.isAccessTokenRevoked(principal.tokenId)) ||
          (await repos.refreshTokens.isFamilyRevoked(principal.familyId)),
      );
    }
    if (revoked) throw new UnauthenticatedError('The access token has been revoked');
    return principal;
  }
}
