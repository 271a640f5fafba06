/**
 * Who is calling, as the platform and every context's application layer see it: framework-free, so a
 * use case can take a Principal without depending on Fastify (platform/http/auth.ts re-exports these
 * for the route guards).
 */
export const ROLES = ['customer', 'inventory_manager', 'admin'] as const;
export type Role = (typeof ROLES)[number];

/** Who is calling, as proven by a verified access token. */
export interface Principal {
  userId: string;
  roles: Role[];
  tokenId: string;
  expiresAt: Date;
}

/** Port implemented by identity: verifies a bearer token (signature, issuer, expiry, deny-list). */
export interface AccessTokenVerifier {
  verify(token: string): Promise<Principal>;
}
