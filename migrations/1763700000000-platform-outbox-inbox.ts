import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Transactional outbox (relayed to the broker) and consumer inbox (idempotency), plus dead letters. */
export class PlatformOutboxInbox1763700000000 implements MigrationInterface {
  name = 'PlatformOutboxInbox1763700000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE outbox (
        seq           bigserial PRIMARY KEY,
        id            uuid NOT NULL UNIQUE,
        context       text NOT NULL,
        type          text NOT NULL,
        source        text NOT NULL,
        subject       text NOT NULL,
        shard         smallint GENERATED ALWAYS AS ((abs(hashtext(subject)) % 16)::smallint) STORED,
        occurred_at   timestamptz NOT NULL,
        data          jsonb NOT NULL,
        traceparent   text,
        created_at    timestamptz NOT NULL DEFAULT clock_timestamp(),
        attempts      integer NOT NULL DEFAULT 0,
        last_error    text,
        published_at  timestamptz
      )`);
    await q.query('CREATE INDEX outbox_unpublished_idx ON outbox (shard, seq) WHERE published_at IS NULL');
    await q.query(
      'CREATE INDEX outbox_published_at_idx ON outbox (published_at) WHERE published_at IS NOT NULL',
    );
    await q.query(`
      CREATE TABLE inbox (
        consumer_group text NOT NULL,
        event_id       uuid NOT NULL,
        event_type     text NOT NULL,
        processed_at   timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (consumer_group, event_id)
      )`);
    await q.query(`
      CREATE TABLE dead_letters (
        id             uuid PRIMARY KEY,
        consumer_group text NOT NULL,
        topic          text NOT NULL,
        event_id       text,
        event_type     text,
        payload        jsonb,
        headers        jsonb NOT NULL,
        error          text NOT NULL,
        attempts       integer NOT NULL,
        created_at     timestamptz NOT NULL DEFAULT now()
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE dead_letters');
    await q.query('DROP TABLE inbox');
    await q.query('DROP TABLE outbox');
  }
}
