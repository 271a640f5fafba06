import type { Revocation } from '../../../src/identity/application/identity.ports.js';
import type {
  AddressRepository,
  IdentityRepos,
  RefreshTokenRepository,
  UserRepository,
} from '../../../src/identity/application/identity.repositories.js';
import type { Address } from '../../../src/identity/domain/address.entity.js';
import type { RefreshFamily, RefreshToken } from '../../../src/identity/domain/refresh-token.entity.js';
import { User, type UserProps } from '../../../src/identity/domain/user.aggregate.js';
import { type Id, isUuid } from '../../../src/platform/ids.js';

/**
 * The identity repositories in memory, for use-case unit tests. Like the TypeORM ones they hand out
 * copies (a change counts once it is saved), refuse a second account with the same email (case
 * insensitively) on insert and update, and keep revocations the way the SQL does.
 */
export class InMemoryUserRepository implements UserRepository {
  readonly rows = new Map<Id, UserProps>();

  private static copy(props: Readonly<UserProps>): UserProps {
    return { ...props, roles: [...props.roles] };
  }

  private emailTaken(email: string, byOtherThan: Id): boolean {
    return [...this.rows.values()].some(
      (u) => u.id !== byOtherThan && u.email.toLowerCase() === email.toLowerCase(),
    );
  }

  async findById(id: Id): Promise<User | null> {
    // the id column is a uuid: Postgres refuses to compare it with anything else
    if (!isUuid(id)) throw new Error(`invalid input syntax for type uuid: "${id}"`);
    const row = this.rows.get(id);
    return row ? User.restore(InMemoryUserRepository.copy(row)) : null;
  }

  findByIdForUpdate(id: Id): Promise<User | null> {
    return this.findById(id);
  }

  async findByEmail(email: string): Promise<User | null> {
    const row = [...this.rows.values()].find((u) => u.email.toLowerCase() === email.toLowerCase());
    return row ? User.restore(InMemoryUserRepository.copy(row)) : null;
  }

  async insert(user: User): Promise<boolean> {
    const props = user.snapshot();
    if (this.rows.has(props.id) || this.emailTaken(props.email, props.id)) return false;
    this.rows.set(props.id, InMemoryUserRepository.copy(props));
    return true;
  }

  async update(user: User): Promise<boolean> {
    const props = user.snapshot();
    if (this.emailTaken(props.email, props.id)) return false;
    this.rows.set(props.id, { ...InMemoryUserRepository.copy(props), version: props.version + 1 });
    return true;
  }

  /** the stored account (test helper) */
  stored(id: Id): UserProps | undefined {
    return this.rows.get(id);
  }
}

export class InMemoryAddressRepository implements AddressRepository {
  readonly rows: Address[] = [];

  async listByUser(userId: Id): Promise<Address[]> {
    return this.rows
      .filter((a) => a.userId === userId)
      .sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime() || a.id.localeCompare(b.id))
      .map((a) => ({ ...a }));
  }

  async find(userId: Id, id: Id): Promise<Address | null> {
    const row = this.rows.find((a) => a.userId === userId && a.id === id);
    return row ? { ...row } : null;
  }

  async count(userId: Id): Promise<number> {
    return this.rows.filter((a) => a.userId === userId).length;
  }

  async insert(address: Address): Promise<void> {
    this.rows.push({ ...address });
  }

  async update(address: Address): Promise<void> {
    const i = this.rows.findIndex((a) => a.userId === address.userId && a.id === address.id);
    if (i >= 0) this.rows[i] = { ...address };
  }

  async delete(userId: Id, id: Id): Promise<boolean> {
    const i = this.rows.findIndex((a) => a.userId === userId && a.id === id);
    if (i < 0) return false;
    this.rows.splice(i, 1);
    return true;
  }

  async deleteAllOf(userId: Id): Promise<void> {
    for (let i = this.rows.length - 1; i >= 0; i--)
      if (this.rows[i]!.userId === userId) this.rows.splice(i, 1);
  }
}

export class InMemoryRefreshTokenRepository implements RefreshTokenRepository {
  readonly families = new Map<Id, RefreshFamily>();
  readonly tokens = new Map<Id, RefreshToken>();
  /** durable access-token revocations: jti → expiry */
  readonly revokedAccessTokens = new Map<Id, Date>();

  async insertFamily(family: RefreshFamily): Promise<void> {
    this.families.set(family.id, { ...family });
  }

  async insertToken(token: RefreshToken): Promise<void> {
    this.tokens.set(token.id, { ...token });
  }

  async findByHashForUpdate(
    tokenHash: string,
  ): Promise<{ token: RefreshToken; family: RefreshFamily } | null> {
    const token = [...this.tokens.values()].find((t) => t.tokenHash === tokenHash);
    const family = token ? this.families.get(token.familyId) : undefined;
    return token && family ? { token: { ...token }, family: { ...family } } : null;
  }

  async markUsed(tokenId: Id, at: Date): Promise<void> {
    const token = this.tokens.get(tokenId);
    if (token) token.usedAt = at;
  }

  async extendAccessExpiry(familyId: Id, expiresAt: Date): Promise<void> {
    const family = this.families.get(familyId);
    if (family && expiresAt.getTime() > family.accessExpiresAt.getTime()) family.accessExpiresAt = expiresAt;
  }

  async revokeFamily(familyId: Id, reason: string, at: Date): Promise<Date | null> {
    const family = this.families.get(familyId);
    if (!family || family.revokedAt) return null;
    family.revokedAt = at;
    family.revokedReason = reason;
    return family.accessExpiresAt;
  }

  async revokeAllOfUser(
    userId: Id,
    reason: string,
    at: Date,
  ): Promise<{ familyId: Id; accessExpiresAt: Date }[]> {
    const revoked: { familyId: Id; accessExpiresAt: Date }[] = [];
    for (const family of this.families.values()) {
      if (family.userId !== userId || family.revokedAt) continue;
      family.revokedAt = at;
      family.revokedReason = reason;
      revoked.push({ familyId: family.id, accessExpiresAt: family.accessExpiresAt });
    }
    return revoked;
  }

  async recordRevokedAccessToken(jti: Id, expiresAt: Date): Promise<void> {
    if (!this.revokedAccessTokens.has(jti)) this.revokedAccessTokens.set(jti, expiresAt);
  }

  async isRevoked(jti: Id, familyId: Id): Promise<boolean> {
    const family = this.families.get(familyId);
    return this.revokedAccessTokens.has(jti) || !family || family.revokedAt !== null;
  }

  async listLiveRevocations(now: Date): Promise<Revocation[]> {
    const live: Revocation[] = [];
    for (const [id, until] of this.revokedAccessTokens) {
      if (until.getTime() > now.getTime()) live.push({ kind: 'token', id, until });
    }
    for (const f of this.families.values()) {
      if (f.revokedAt && f.accessExpiresAt.getTime() > now.getTime()) {
        live.push({ kind: 'family', id: f.id, until: f.accessExpiresAt });
      }
    }
    return live;
  }

  async purgeExpiredRevocations(now: Date): Promise<number> {
    let purged = 0;
    for (const [jti, until] of this.revokedAccessTokens) {
      if (until.getTime() <= now.getTime()) {
        this.revokedAccessTokens.delete(jti);
        purged++;
      }
    }
    return purged;
  }
}

export interface InMemoryIdentityRepos extends IdentityRepos {
  users: InMemoryUserRepository;
  addresses: InMemoryAddressRepository;
  refreshTokens: InMemoryRefreshTokenRepository;
}

export const inMemoryIdentityRepos = (): InMemoryIdentityRepos => ({
  users: new InMemoryUserRepository(),
  addresses: new InMemoryAddressRepository(),
  refreshTokens: new InMemoryRefreshTokenRepository(),
});
