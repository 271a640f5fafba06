import type { Id } from '../../platform/ids.js';
import type { Address } from '../domain/address.entity.js';
import type { RefreshFamily, RefreshToken } from '../domain/refresh-token.entity.js';
import type { User } from '../domain/user.aggregate.js';
import type { Revocation } from './identity.ports.js';

/** Persistence ports of the identity context; adapters live in adapters/persistence. */
export interface UserRepository {
  findById(id: Id): Promise<User | null>;
  /** Locks the row for the rest of the transaction. */
  findByIdForUpdate(id: Id): Promise<User | null>;
  findByEmail(email: string): Promise<User | null>;
  /** Inserts; returns false when the email is already taken (unique index), without aborting the transaction. */
  insert(user: User): Promise<boolean>;
  /** Saves changes; returns false when the new email is taken by another account. */
  update(user: User): Promise<boolean>;
}

export interface AddressRepository {
  listByUser(userId: Id): Promise<Address[]>;
  find(userId: Id, id: Id): Promise<Address | null>;
  count(userId: Id): Promise<number>;
  insert(address: Address): Promise<void>;
  update(address: Address): Promise<void>;
  delete(userId: Id, id: Id): Promise<boolean>;
  deleteAllOf(userId: Id): Promise<void>;
}

export interface RefreshTokenRepository {
  insertFamily(family: RefreshFamily): Promise<void>;
  insertToken(token: RefreshToken): Promise<void>;
  /** The token with this hash and its family, both locked for the rest of the transaction. */
  findByHashForUpdate(tokenHash: string): Promise<{ token: RefreshToken; family: RefreshFamily } | null>;
  markUsed(tokenId: Id, at: Date): Promise<void>;
  /** Records that an access token of the family lives until `expiresAt` (never moves the expiry back). */
  extendAccessExpiry(familyId: Id, expiresAt: Date): Promise<void>;
  /**
   * Revokes the family; returns until when its access tokens must be denied (the family's
   * `accessExpiresAt`), or null when it was revoked already.
   */
  revokeFamily(familyId: Id, reason: string, at: Date): Promise<Date | null>;
  /** Revokes every standing family of the user; returns them with until when they must be denied. */
  revokeAllOfUser(userId: Id, reason: string, at: Date): Promise<{ familyId: Id; accessExpiresAt: Date }[]>;
  /** Durable record of a revoked access token (the deny-list is rebuilt from these records). */
  recordRevokedAccessToken(jti: Id, expiresAt: Date): Promise<void>;
  /** One query: is the access token revoked, or its family revoked (or unknown)? The cache's fallback. */
  isRevoked(jti: Id, familyId: Id): Promise<boolean>;
  /** Every revocation that still denies a live access token at `now`: what the deny-list must hold. */
  listLiveRevocations(now: Date): Promise<Revocation[]>;
  /** Deletes access-token revocation records whose tokens have expired by `now`; returns how many. */
  purgeExpiredRevocations(now: Date): Promise<number>;
}

export interface IdentityRepos {
  users: UserRepository;
  addresses: AddressRepository;
  refreshTokens: RefreshTokenRepository;
}
