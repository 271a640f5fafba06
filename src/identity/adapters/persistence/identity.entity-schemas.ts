import { EntitySchema } from 'typeorm';

/** Row shapes of the identity tables; mapping to the domain lives in the repositories. */
export interface UserRow {
  id: string;
  email: string;
  name: string;
  passwordHash: string;
  roles: string[];
  region: string;
  status: string;
  createdAt: Date;
  updatedAt: Date;
  erasedAt: Date | null;
  version: number;
}

export interface AddressRow {
  id: string;
  userId: string;
  name: string;
  line1: string;
  line2: string | null;
  city: string;
  postalCode: string;
  country: string;
  phone: string | null;
  createdAt: Date;
  updatedAt: Date;
}

export interface RefreshFamilyRow {
  id: string;
  userId: string;
  createdAt: Date;
  revokedAt: Date | null;
  revokedReason: string | null;
  accessExpiresAt: Date;
}

export interface RefreshTokenRow {
  id: string;
  familyId: string;
  tokenHash: string;
  issuedAt: Date;
  expiresAt: Date;
  usedAt: Date | null;
}

export interface SigningKeyRow {
  kid: string;
  algorithm: string;
  publicJwk: Record<string, unknown>;
  privatePkcs8: string;
  createdAt: Date;
  retiredAt: Date | null;
}

const ts = { type: 'timestamptz' as const };

export const UserSchema = new EntitySchema<UserRow>({
  name: 'IdentityUser',
  tableName: 'identity_users',
  columns: {
    id: { type: 'uuid', primary: true },
    email: { type: 'text' },
    name: { type: 'text' },
    passwordHash: { type: 'text', name: 'password_hash' },
    roles: { type: 'text', array: true },
    region: { type: 'text' },
    status: { type: 'text' },
    createdAt: { ...ts, name: 'created_at' },
    updatedAt: { ...ts, name: 'updated_at' },
    erasedAt: { ...ts, name: 'erased_at', nullable: true },
    version: { type: 'int' },
  },
});

export const AddressSchema = new EntitySchema<AddressRow>({
  name: 'IdentityAddress',
  tableName: 'identity_addresses',
  columns: {
    id: { type: 'uuid', primary: true },
    userId: { type: 'uuid', name: 'user_id' },
    name: { type: 'text' },
    line1: { type: 'text' },
    line2: { type: 'text', nullable: true },
    city: { type: 'text' },
    postalCode: { type: 'text', name: 'postal_code' },
    country: { type: 'char', length: 2 },
    phone: { type: 'text', nullable: true },
    createdAt: { ...ts, name: 'created_at' },
    updatedAt: { ...ts, name: 'updated_at' },
  },
});

export const RefreshFamilySchema = new EntitySchema<RefreshFamilyRow>({
  name: 'IdentityRefreshFamily',
  tableName: 'identity_refresh_families',
  columns: {
    id: { type: 'uuid', primary: true },
    userId: { type: 'uuid', name: 'user_id' },
    createdAt: { ...ts, name: 'created_at' },
    revokedAt: { ...ts, name: 'revoked_at', nullable: true },
    revokedReason: { type: 'text', name: 'revoked_reason', nullable: true },
    accessExpiresAt: { ...ts, name: 'access_expires_at' },
  },
});

export const RefreshTokenSchema = new EntitySchema<RefreshTokenRow>({
  name: 'IdentityRefreshToken',
  tableName: 'identity_refresh_tokens',
  columns: {
    id: { type: 'uuid', primary: true },
    familyId: { type: 'uuid', name: 'family_id' },
    tokenHash: { type: 'text', name: 'token_hash' },
    issuedAt: { ...ts, name: 'issued_at' },
    expiresAt: { ...ts, name: 'expires_at' },
    usedAt: { ...ts, name: 'used_at', nullable: true },
  },
});

export const SigningKeySchema = new EntitySchema<SigningKeyRow>({
  name: 'IdentitySigningKey',
  tableName: 'identity_signing_keys',
  columns: {
    kid: { type: 'text', primary: true },
    algorithm: { type: 'text' },
    publicJwk: { type: 'jsonb', name: 'public_jwk' },
    privatePkcs8: { type: 'text', name: 'private_pkcs8' },
    createdAt: { ...ts, name: 'created_at' },
    retiredAt: { ...ts, name: 'retired_at', nullable: true },
  },
});

export const IDENTITY_ENTITIES = [
  UserSchema,
  AddressSchema,
  RefreshFamilySchema,
  RefreshTokenSchema,
  SigningKeySchema,
];
