import type { Principal } from '../../platform/http/auth.js';
import type { Id } from '../../platform/ids.js';
import type { Role } from '../domain/user.aggregate.js';

/** Memory-hard password hashing (argon2id in the shipped adapter). */
export interface PasswordHasher {
  hash(password: string): Promise<string>;
  verify(hash: string, password: string): Promise<boolean>;
  /** true when the hash was made with other (older) parameters and should be replaced at the next login */
  needsRehash(hash: string): boolean;
}

export interface IssuedAccessToken {
  token: string;
  jti: Id;
  expiresIn: number;
  expiresAt: Date;
}

/** Signs and verifies the region's asymmetric access tokens. */
export interface AccessTokenService {
  issue(subject: { userId: Id; roles: readonly Role[]; familyId: Id }): Promise<IssuedAccessToken>;
  /** Signature, issuer (this region), audience and expiry; throws UnauthenticatedError. */
  verify(token: string): Promise<Principal & { familyId: Id }>;
  jwks(): Promise<{ keys: Record<string, unknown>[] }>;
}

/**
 * Revoked access tokens and refresh families, answered quickly (cache). `isRevoked` returns null when
 * the fast store cannot answer, so the caller can ask the database instead.
 */
export interface TokenDenyList {
  revokeToken(jti: Id, ttlSeconds: number): Promise<void>;
  revokeFamily(familyId: Id, ttlSeconds: number): Promise<void>;
  isRevoked(jti: Id, familyId: Id): Promise<boolean | null>;
}

/** A cache key of the deny-list and when it may be forgotten. */
export interface DenyListEntry {
  key: string;
  expiresAt: Date;
}

/** Durable list of deny-list entries the cache did not take, for any instance to copy over later. */
export interface DenyListBacklog {
  add(entry: DenyListEntry): Promise<void>;
  /** Hands up to `limit` entries to `apply`; they leave the backlog only if it resolves. Returns the count. */
  drain(limit: number, apply: (entries: DenyListEntry[]) => Promise<void>): Promise<number>;
}

/** Personal data other contexts hold about a customer (orders), for the GDPR export. */
export interface PersonalDataSource {
  readonly section: string;
  exportFor(userId: Id): Promise<unknown[]>;
}

/** Opaque refresh tokens: random secret handed out, only its hash stored. */
export interface RefreshTokenCodec {
  generate(): { token: string; hash: string };
  hash(token: string): string;
}

/** Hands a guest cart to the customer who just logged in (the cart context, wired by the app). */
export interface GuestCartAdoption {
  adopt(cartId: string, customerId: string): Promise<void>;
}
