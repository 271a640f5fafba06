import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Durable revocation: every refresh family records when the last access token issued in it
 * expires, so a revoked family is denied exactly as long as one of its access tokens may be live;
 * the deny-list is rebuilt from these rows and `identity_revoked_access_tokens` (whose expired rows
 * are purged, hence the index).
 */
export class IdentityDurableRevocation1763700000900 implements MigrationInterface {
  name = 'IdentityDurableRevocation1763700000900';

  async up(q: QueryRunner): Promise<void> {
    await q.query('ALTER TABLE identity_refresh_families ADD COLUMN access_expires_at timestamptz');
    // Families from before this migration: an access token lives at most ACCESS_TOKEN_TTL_SECONDS
    // (at most one day, config.ts) after its pair was issued, so this bound is never too early.
    await q.query(`
      UPDATE identity_refresh_families f
         SET access_expires_at = COALESCE(
               (SELECT max(t.issued_at) FROM identity_refresh_tokens t WHERE t.family_id = f.id),
               f.created_at) + interval '1 day 1 minute'`);
    await q.query('ALTER TABLE identity_refresh_families ALTER COLUMN access_expires_at SET NOT NULL');
    await q.query(`
      CREATE INDEX identity_refresh_families_denied_idx
          ON identity_refresh_families (access_expires_at) WHERE revoked_at IS NOT NULL`);
    await q.query(
      'CREATE INDEX identity_revoked_access_tokens_expiry_idx ON identity_revoked_access_tokens (expires_at)',
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP INDEX identity_revoked_access_tokens_expiry_idx');
    await q.query('DROP INDEX identity_refresh_families_denied_idx');
    await q.query('ALTER TABLE identity_refresh_families DROP COLUMN access_expires_at');
  }
}
