import { UnauthenticatedError } from '../../platform/errors.js';
import type { AccessTokenVerifier, Principal } from '../../platform/principal.js';
import type { IdentityDeps } from './identity.deps.js';

/**
 * Verifies a bearer token for the route guards: signature, region issuer, expiry, then revocation —
 * asked of the cache deny-list and, when the cache cannot answer (away, or not loaded from Postgres
 * since it lost its keys), of the database's revocation records in one query.
 */
export class IdentityAccessTokenVerifier implements AccessTokenVerifier {
  constructor(private readonly deps: IdentityDeps) {}

  async verify(token: string): Promise<Principal & { familyId: string }> {
    const principal = await this.deps.tokens.verify(token);
    let revoked = await this.deps.denyList.isRevoked(principal.tokenId, principal.familyId).catch(() => null);
    if (revoked === null) {
      // degraded: counted (auth_events_total{outcome="revocation_checked_in_db"}) so ops see it
      this.deps.audit('revocation_checked_in_db');
      revoked = await this.deps.read.run(({ repos }) =>
        repos.refreshTokens.isRevoked(principal.tokenId, principal.familyId),
      );
    }
    if (revoked) throw new UnauthenticatedError('The access token has been revoked');
    return principal;
  }
}
