import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Signing keys for rotation with a grace period: a key given by JWT_PRIVATE_KEY is recorded by its
 * public half only (no private column), so that every instance of the region verifies — and lists in
 * its JWKS — the key the others sign with, and a replaced key until its grace period ends. A generated
 * key's private half is stored encrypted (`enc:v1:…`, ADR 0005).
 */
export class IdentitySigningKeyRotation1763700001600 implements MigrationInterface {
  name = 'IdentitySigningKeyRotation1763700001600';

  async up(q: QueryRunner): Promise<void> {
    await q.query('ALTER TABLE identity_signing_keys ALTER COLUMN private_pkcs8 DROP NOT NULL');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DELETE FROM identity_signing_keys WHERE private_pkcs8 IS NULL');
    await q.query('ALTER TABLE identity_signing_keys ALTER COLUMN private_pkcs8 SET NOT NULL');
  }
}
