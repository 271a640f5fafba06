import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Notifications context: one row per email an event asked for. The unique (event_id, template) makes
 * queueing idempotent beyond the consumer's inbox; the sender takes due rows through the partial index
 * on (next_attempt_at) of queued ones. Orders and customers are plain ids (no foreign keys across
 * contexts). `to_address`, `text_body` and `html_body` are personal data: erasure sets them to null.
 */
export class Notifications1763700001800 implements MigrationInterface {
  name = 'Notifications1763700001800';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE notifications (
        id               uuid PRIMARY KEY,
        event_id         uuid NOT NULL,
        template         text NOT NULL CHECK (template IN ('order-confirmed', 'shipment-dispatched',
                           'order-cancelled', 'refund-issued')),
        order_id         uuid NOT NULL,
        locale           text NOT NULL,
        facts            jsonb NOT NULL DEFAULT '{}'::jsonb,
        customer_id      uuid,
        to_address       text,
        subject          text,
        text_body        text,
        html_body        text,
        status           text NOT NULL CHECK (status IN ('queued', 'sent', 'failed')),
        attempts         integer NOT NULL DEFAULT 0 CHECK (attempts >= 0),
        next_attempt_at  timestamptz,
        last_error       text,
        sent_at          timestamptz,
        erased_at        timestamptz,
        created_at       timestamptz NOT NULL,
        updated_at       timestamptz NOT NULL,
        version          integer NOT NULL DEFAULT 0,
        CONSTRAINT notifications_event_template_uq UNIQUE (event_id, template),
        -- a queued notification is due at some instant; a sent one was sent at one
        CONSTRAINT notifications_due_ck CHECK ((status = 'queued') = (next_attempt_at IS NOT NULL)),
        CONSTRAINT notifications_sent_ck CHECK ((status = 'sent') = (sent_at IS NOT NULL))
      )`);
    await q.query(
      `CREATE INDEX notifications_due_idx ON notifications (next_attempt_at)
         WHERE status = 'queued'`,
    );
    await q.query('CREATE INDEX notifications_created_idx ON notifications (created_at DESC, id DESC)');
    await q.query(
      'CREATE INDEX notifications_order_idx ON notifications (order_id, created_at DESC, id DESC)',
    );
    await q.query(
      'CREATE INDEX notifications_customer_idx ON notifications (customer_id) WHERE customer_id IS NOT NULL',
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE notifications');
  }
}
