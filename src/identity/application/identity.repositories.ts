import type { Id } from '../../platform/ids.js';
import type { Address } from '../domain/address.entity.js';
import type { RefreshFamily, RefreshToken } from '../domain/refresh-token.entity.js';
import type { User } from '../domain/user.aggregate.js';

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
  revokeFamily(familyId: Id, reason: string, at: Date): Promise<void>;
  revokeAllOfUser(userId: Id, reason: string, at: Date): Promise<Id[]>;
  isFamilyRevoked(familyId: Id): Promise<boolean>;
  /** Durable record of a revoked access token (the cache deny-list's fallback). */
  recordRevokedAccessToken(jti: Id, expiresAt: Date): Promise<void>;
  isAccessTokenRevoked(jti: Id): Promise<boolean>;
}

export interface IdentityRepos {
  users: UserRepository;
  addresses: AddressRepository;
  refreshTokens: RefreshTokenRepository;
}
