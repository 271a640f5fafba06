import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Identity: users (customers and staff), addresses, refresh-token families, signing keys, revoked tokens. */
export class Identity1763700000100 implements MigrationInterface {
  name = 'Identity1763700000100';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE identity_users (
        id            uuid PRIMARY KEY,
        email         text NOT NULL,
        name          text NOT NULL,
        password_hash text NOT NULL,
        roles         text[] NOT NULL,
        region        text NOT NULL,
        status        text NOT NULL CHECK (status IN ('active', 'erased')),
        created_at    timestamptz NOT NULL,
        updated_at    timestamptz NOT NULL,
        erased_at     timestamptz,
        version       integer NOT NULL DEFAULT 1
      )`);
    await q.query('CREATE UNIQUE INDEX identity_users_email_uq ON identity_users (lower(email))');
    await q.query(`
      CREATE TABLE identity_addresses (
        id           uuid PRIMARY KEY,
        user_id      uuid NOT NULL REFERENCES identity_users(id) ON DELETE CASCADE,
        name         text NOT NULL,
        line1        text NOT NULL,
        line2        text,
        city         text NOT NULL,
        postal_code  text NOT NULL,
        country      char(2) NOT NULL,
        phone        text,
        created_at   timestamptz NOT NULL,
        updated_at   timestamptz NOT NULL
      )`);
    await q.query('CREATE INDEX identity_addresses_user_idx ON identity_addresses (user_id, created_at)');
    await q.query(`
      CREATE TABLE identity_refresh_families (
        id             uuid PRIMARY KEY,
        user_id        uuid NOT NULL REFERENCES identity_users(id) ON DELETE CASCADE,
        created_at     timestamptz NOT NULL,
        revoked_at     timestamptz,
        revoked_reason text
      )`);
    await q.query('CREATE INDEX identity_refresh_families_user_idx ON identity_refresh_families (user_id)');
    await q.query(`
      CREATE TABLE identity_refresh_tokens (
        id          uuid PRIMARY KEY,
        family_id   uuid NOT NULL REFERENCES identity_refresh_families(id) ON DELETE CASCADE,
        token_hash  text NOT NULL UNIQUE,
        issued_at   timestamptz NOT NULL,
        expires_at  timestamptz NOT NULL,
        used_at     timestamptz
      )`);
    await q.query('CREATE INDEX identity_refresh_tokens_family_idx ON identity_refresh_tokens (family_id)');
    await q.query(`
      CREATE TABLE identity_revoked_access_tokens (
        jti         uuid PRIMARY KEY,
        expires_at  timestamptz NOT NULL
      )`);
    await q.query(`
      CREATE TABLE identity_signing_keys (
        kid          text PRIMARY KEY,
        algorithm    text NOT NULL,
        public_jwk   jsonb NOT NULL,
        private_pkcs8 text NOT NULL,
        created_at   timestamptz NOT NULL DEFAULT now(),
        retired_at   timestamptz
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const t of [
      'identity_signing_keys',
      'identity_revoked_access_tokens',
      'identity_refresh_tokens',
      'identity_refresh_families',
      'identity_addresses',
      'identity_users',
    ]) {
      await q.query(`DROP TABLE ${t}`);
    }
  }
}
