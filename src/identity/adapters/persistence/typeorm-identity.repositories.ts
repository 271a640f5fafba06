import type { EntityManager } from 'typeorm';
import { returnedRows } from '../../../platform/db/typeorm-unit-of-work.js';
import type { Id } from '../../../platform/ids.js';
import type { Revocation } from '../../application/identity.ports.js';
import type {
  AddressRepository,
  IdentityRepos,
  RefreshTokenRepository,
  UserRepository,
} from '../../application/identity.repositories.js';
import type { Address } from '../../domain/address.entity.js';
import type { RefreshFamily, RefreshToken } from '../../domain/refresh-token.entity.js';
import { type Role, User, type UserStatus } from '../../domain/user.aggregate.js';
import {
  AddressSchema,
  RefreshFamilySchema,
  RefreshTokenSchema,
  type UserRow,
  UserSchema,
} from './identity.entity-schemas.js';

const toUser = (row: UserRow): User =>
  User.restore({
    id: row.id,
    email: row.email,
    name: row.name,
    passwordHash: row.passwordHash,
    roles: row.roles as Role[],
    region: row.region,
    status: row.status as UserStatus,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
    erasedAt: row.erasedAt,
    version: row.version,
  });

const toRow = (user: User): UserRow => {
  const s = user.snapshot();
  return { ...s, roles: [...s.roles] };
};

const isUniqueViolation = (err: unknown): boolean =>
  (err as { code?: string; driverError?: { code?: string } }).code === '23505' ||
  (err as { driverError?: { code?: string } }).driverError?.code === '23505';

export class TypeOrmUserRepository implements UserRepository {
  constructor(private readonly m: EntityManager) {}

  async findById(id: Id): Promise<User | null> {
    const row = await this.m.findOne(UserSchema, { where: { id } });
    return row ? toUser(row) : null;
  }

  async findByIdForUpdate(id: Id): Promise<User | null> {
    const row = await this.m
      .createQueryBuilder(UserSchema, 'u')
      .where('u.id = :id', { id })
      .setLock('pessimistic_write')
      .getOne();
    return row ? toUser(row) : null;
  }

  async findByEmail(email: string): Promise<User | null> {
    const row = await this.m
      .createQueryBuilder(UserSchema, 'u')
      .where('lower(u.email) = lower(:email)', { email })
      .getOne();
    return row ? toUser(row) : null;
  }

  async insert(user: User): Promise<boolean> {
    const r = toRow(user);
    const rows: unknown[] = await this.m.query(
      `INSERT INTO identity_users (id, email, name, password_hash, roles, region, status, created_at, updated_at, erased_at, version)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) ON CONFLICT DO NOTHING RETURNING id`,
      [
        r.id,
        r.email,
        r.name,
        r.passwordHash,
        r.roles,
        r.region,
        r.status,
        r.createdAt,
        r.updatedAt,
        r.erasedAt,
        r.version,
      ],
    );
    return rows.length > 0;
  }

  async update(user: User): Promise<boolean> {
    try {
      await this.m.query('SAVEPOINT identity_user_update');
      const { id, ...rest } = toRow(user);
      await this.m.update(UserSchema, { id }, { ...rest, version: rest.version + 1 });
      await this.m.query('RELEASE SAVEPOINT identity_user_update');
      return true;
    } catch (err) {
      if (!isUniqueViolation(err)) throw err;
      await this.m.query('ROLLBACK TO SAVEPOINT identity_user_update');
      return false;
    }
  }
}

export class TypeOrmAddressRepository implements AddressRepository {
  constructor(private readonly m: EntityManager) {}

  listByUser(userId: Id): Promise<Address[]> {
    return this.m.find(AddressSchema, { where: { userId }, order: { createdAt: 'ASC', id: 'ASC' } });
  }

  find(userId: Id, id: Id): Promise<Address | null> {
    return this.m.findOne(AddressSchema, { where: { userId, id } });
  }

  count(userId: Id): Promise<number> {
    return this.m.count(AddressSchema, { where: { userId } });
  }

  async insert(address: Address): Promise<void> {
    await this.m.insert(AddressSchema, address);
  }

  async update(address: Address): Promise<void> {
    const { id, userId, ...rest } = address;
    await this.m.update(AddressSchema, { id, userId }, rest);
  }

  async delete(userId: Id, id: Id): Promise<boolean> {
    const res = await this.m.delete(AddressSchema, { userId, id });
    return (res.affected ?? 0) > 0;
  }

  async deleteAllOf(userId: Id): Promise<void> {
    await this.m.delete(AddressSchema, { userId });
  }
}

export class TypeOrmRefreshTokenRepository implements RefreshTokenRepository {
  constructor(private readonly m: EntityManager) {}

  async insertFamily(family: RefreshFamily): Promise<void> {
    await this.m.insert(RefreshFamilySchema, family);
  }

  async insertToken(token: RefreshToken): Promise<void> {
    await this.m.insert(RefreshTokenSchema, token);
  }

  async findByHashForUpdate(
    tokenHash: string,
  ): Promise<{ token: RefreshToken; family: RefreshFamily } | null> {
    const token = await this.m
      .createQueryBuilder(RefreshTokenSchema, 't')
      .where('t.tokenHash = :tokenHash', { tokenHash })
      .setLock('pessimistic_write')
      .getOne();
    if (!token) return null;
    const family = await this.m
      .createQueryBuilder(RefreshFamilySchema, 'f')
      .where('f.id = :id', { id: token.familyId })
      .setLock('pessimistic_write')
      .getOne();
    return family ? { token, family } : null;
  }

  async markUsed(tokenId: Id, at: Date): Promise<void> {
    await this.m.update(RefreshTokenSchema, { id: tokenId }, { usedAt: at });
  }

  async extendAccessExpiry(familyId: Id, expiresAt: Date): Promise<void> {
    await this.m.query(
      'UPDATE identity_refresh_families SET access_expires_at = GREATEST(access_expires_at, $2) WHERE id = $1',
      [familyId, expiresAt],
    );
  }

  async revokeFamily(familyId: Id, reason: string, at: Date): Promise<Date | null> {
    const [row] = returnedRows<{ access_expires_at: Date }>(
      await this.m.query(
        `UPDATE identity_refresh_families SET revoked_at = $2, revoked_reason = $3
          WHERE id = $1 AND revoked_at IS NULL RETURNING access_expires_at`,
        [familyId, at, reason],
      ),
    );
    return row ? new Date(row.access_expires_at) : null;
  }

  async revokeAllOfUser(
    userId: Id,
    reason: string,
    at: Date,
  ): Promise<{ familyId: Id; accessExpiresAt: Date }[]> {
    const rows = returnedRows<{ id: string; access_expires_at: Date }>(
      await this.m.query(
        `UPDATE identity_refresh_families SET revoked_at = $2, revoked_reason = $3
          WHERE user_id = $1 AND revoked_at IS NULL RETURNING id, access_expires_at`,
        [userId, at, reason],
      ),
    );
    return rows.map((r) => ({ familyId: r.id, accessExpiresAt: new Date(r.access_expires_at) }));
  }

  async recordRevokedAccessToken(jti: Id, expiresAt: Date): Promise<void> {
    await this.m.query(
      'INSERT INTO identity_revoked_access_tokens (jti, expires_at) VALUES ($1, $2) ON CONFLICT (jti) DO NOTHING',
      [jti, expiresAt],
    );
  }

  async isRevoked(jti: Id, familyId: Id): Promise<boolean> {
    const [row] = (await this.m.query(
      `SELECT EXISTS (SELECT 1 FROM identity_revoked_access_tokens WHERE jti = $1)
           OR NOT EXISTS (SELECT 1 FROM identity_refresh_families WHERE id = $2 AND revoked_at IS NULL)
           AS revoked`,
      [jti, familyId],
    )) as { revoked: boolean }[];
    return row?.revoked ?? true;
  }

  async listLiveRevocations(now: Date): Promise<Revocation[]> {
    const rows: { kind: 'token' | 'family'; id: string; until: Date }[] = await this.m.query(
      `SELECT 'token' AS kind, jti AS id, expires_at AS until
         FROM identity_revoked_access_tokens WHERE expires_at > $1
       UNION ALL
       SELECT 'family', id, access_expires_at
         FROM identity_refresh_families WHERE revoked_at IS NOT NULL AND access_expires_at > $1`,
      [now],
    );
    return rows.map((r) => ({ kind: r.kind, id: r.id, until: new Date(r.until) }));
  }

  async purgeExpiredRevocations(now: Date): Promise<number> {
    // for a DELETE the driver answers [rows, affected]
    const result: unknown = await this.m.query(
      'DELETE FROM identity_revoked_access_tokens WHERE expires_at <= $1',
      [now],
    );
    return Array.isArray(result) && typeof result[1] === 'number' ? result[1] : 0;
  }
}

export const identityRepos = (m: EntityManager): IdentityRepos => ({
  users: new TypeOrmUserRepository(m),
  addresses: new TypeOrmAddressRepository(m),
  refreshTokens: new TypeOrmRefreshTokenRepository(m),
});
