import type { Id } from '../../platform/ids.js';
import type { Principal } from '../../platform/principal.js';
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

/** Whether a password may be checked now; when not, how long until it may (for `Retry-After`). */
export interface PasswordAttemptVerdict {
  allowed: boolean;
  retryAfterSeconds: number;
}

/**
 * Password guesses counted per account, whatever address they come from (OWASP ASVS 2.2.1; the
 * per-IP limits of the HTTP edge cannot see a guesser who changes address). The account is named by
 * its normalised email; emails without an account are counted the same way, so the answers never
 * tell whether an account exists. The adapter stores a hash of the email, never the email.
 */
export interface PasswordAttemptLimiter {
  /**
   * Counts one attempt at the account's password, before it is checked (so concurrent guesses cannot
   * all slip past the count). Refused once the account's budget for the window is spent.
   */
  attempt(account: string): Promise<PasswordAttemptVerdict>;
  /** The password was right: the account's count starts again. */
  succeeded(account: string): Promise<void>;
}

/** Signs and verifies the region's asymmetric access tokens. */
export interface AccessTokenService {
  issue(subject: { userId: Id; roles: readonly Role[]; familyId: Id }): Promise<IssuedAccessToken>;
  /** Signature, issuer (this region), audience and expiry; throws UnauthenticatedError. */
  verify(token: string): Promise<Principal & { familyId: Id }>;
  jwks(): Promise<{ keys: Record<string, unknown>[] }>;
}

/** A durable revocation record: an access token (jti) or a whole refresh family, denied until `until`. */
export interface Revocation {
  kind: 'token' | 'family';
  id: Id;
  /** when the last access token it denies expires */
  until: Date;
}

/**
 * Revoked access tokens and refresh families, answered quickly (cache). Postgres holds the same
 * revocations durably; the deny-list is rebuilt from them whenever the fast store has lost them.
 */
export interface TokenDenyList {
  revokeToken(jti: Id, until: Date): Promise<void>;
  revokeFamily(familyId: Id, until: Date): Promise<void>;
  /**
   * null when the fast store cannot answer — it is away, or it has not been (re)loaded from Postgres
   * since it lost its keys — so the caller asks the database instead.
   */
  isRevoked(jti: Id, familyId: Id): Promise<boolean | null>;
  /** When the fast store was last loaded, or null if it is not loaded (never, or its keys were lost). */
  loadedAt(): Promise<Date | null>;
  /** Writes these revocations into the fast store and marks it loaded, in one atomic step. */
  load(revocations: readonly Revocation[]): Promise<void>;
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

/** Personal data other contexts hold about a customer (carts, orders), for the GDPR export. */
export type { PersonalDataSource } from '../../platform/module/personal-data.js';

/** Opaque refresh tokens: random secret handed out, only its hash stored. */
export interface RefreshTokenCodec {
  generate(): { token: string; hash: string };
  hash(token: string): string;
}

/** Hands a guest cart to the customer who just logged in (the cart context, wired by the app). */
export interface GuestCartAdoption {
  adopt(cartId: string, customerId: string): Promise<void>;
}
