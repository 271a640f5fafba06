import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Idempotency-Key records: the first response to a (caller, path, key), replayed for 24 h. */
export class PlatformIdempotency1763700000400 implements MigrationInterface {
  name = 'PlatformIdempotency1763700000400';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE idempotency_keys (
        scope            text NOT NULL,
        key              text NOT NULL,
        request_hash     text NOT NULL,
        state            text NOT NULL CHECK (state IN ('in_progress', 'done')),
        response_status  integer,
        response_type    text,
        response_body    text,
        created_at       timestamptz NOT NULL DEFAULT now(),
        expires_at       timestamptz NOT NULL,
        PRIMARY KEY (scope, key)
      )`);
    await q.query('CREATE INDEX idempotency_keys_expires_idx ON idempotency_keys (expires_at)');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE idempotency_keys');
  }
}
