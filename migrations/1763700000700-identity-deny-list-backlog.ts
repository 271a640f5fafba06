import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Deny-list entries (revoked access tokens and refresh families) that could not be written to the
 * cache when they were revoked; any instance copies them into the cache once it answers again.
 */
export class IdentityDenyListBacklog1763700000700 implements MigrationInterface {
  name = 'IdentityDenyListBacklog1763700000700';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE identity_deny_list_backlog (
        key         text PRIMARY KEY,
        expires_at  timestamptz NOT NULL,
        created_at  timestamptz NOT NULL DEFAULT now()
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE identity_deny_list_backlog');
  }
}
