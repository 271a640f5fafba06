import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Payments context tables: one payment per order (status, amounts authorized/captured/refunded in
 * minor units, the provider token, brand and last four digits — never a card number), its refunds
 * (reserved before the provider is asked), the ledger of provider operations (every call and its
 * outcome, every fact a webhook announced), and the provider webhook events received (replays have
 * no effect). CHECKs are the last line of defence: nothing captured beyond the authorization,
 * nothing refunded beyond the capture.
 */
export class Payments1763700001100 implements MigrationInterface {
  name = 'Payments1763700001100';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE payments (
        id                 uuid PRIMARY KEY,
        order_id           uuid NOT NULL,
        provider           text NOT NULL,
        status             text NOT NULL CHECK (status IN ('PENDING', 'AUTHORIZED', 'FAILED', 'VOID_PENDING',
                             'VOIDED', 'CAPTURED', 'PARTIALLY_REFUNDED', 'REFUNDED')),
        currency           char(3) NOT NULL,
        amount             integer NOT NULL CHECK (amount > 0),
        token              text NOT NULL,
        brand              text,
        last4              char(4) CHECK (last4 ~ '^[0-9]{4}$'),
        authorized_amount  integer NOT NULL DEFAULT 0,
        captured_amount    integer NOT NULL DEFAULT 0,
        refunded_amount    integer NOT NULL DEFAULT 0,
        provider_ref       text,
        capture_ref        text,
        failure_reason     text,
        cancel_reason      text,
        created_at         timestamptz NOT NULL,
        updated_at         timestamptz NOT NULL,
        version            integer NOT NULL DEFAULT 0,
        CONSTRAINT payments_order_uq UNIQUE (order_id),
        CONSTRAINT payments_authorized_ck CHECK (authorized_amount >= 0 AND authorized_amount <= amount),
        CONSTRAINT payments_captured_ck CHECK (captured_amount >= 0 AND captured_amount <= authorized_amount),
        CONSTRAINT payments_refunded_ck CHECK (refunded_amount >= 0 AND refunded_amount <= captured_amount)
      )`);
    await q.query(
      'CREATE UNIQUE INDEX payments_provider_ref_uq ON payments (provider, provider_ref) WHERE provider_ref IS NOT NULL',
    );
    await q.query(
      `CREATE INDEX payments_void_pending_idx ON payments (updated_at) WHERE status = 'VOID_PENDING'`,
    );
    await q.query(`
      CREATE TABLE payment_refunds (
        id            uuid PRIMARY KEY,
        payment_id    uuid NOT NULL REFERENCES payments(id),
        amount        integer NOT NULL CHECK (amount > 0),
        reason        text NOT NULL,
        status        text NOT NULL CHECK (status IN ('pending', 'succeeded', 'released')),
        origin        text NOT NULL CHECK (origin IN ('shopcore', 'provider')),
        provider_ref  text,
        requested_at  timestamptz NOT NULL,
        settled_at    timestamptz
      )`);
    await q.query('CREATE INDEX payment_refunds_payment_idx ON payment_refunds (payment_id)');
    await q.query(
      `CREATE INDEX payment_refunds_pending_idx ON payment_refunds (payment_id) WHERE status = 'pending'`,
    );
    await q.query(`
      CREATE TABLE payment_operations (
        seq              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        id               uuid NOT NULL UNIQUE,
        payment_id       uuid NOT NULL REFERENCES payments(id),
        kind             text NOT NULL CHECK (kind IN ('authorize', 'capture', 'void', 'refund')),
        idempotency_key  text NOT NULL,
        amount           integer NOT NULL CHECK (amount >= 0),
        outcome          text NOT NULL CHECK (outcome IN ('succeeded', 'declined', 'rejected', 'unavailable')),
        provider_ref     text,
        reason           text,
        source           text NOT NULL CHECK (source IN ('shopcore', 'provider')),
        at               timestamptz NOT NULL
      )`);
    await q.query('CREATE INDEX payment_operations_payment_idx ON payment_operations (payment_id, seq)');
    await q.query(`
      CREATE TABLE payment_webhook_events (
        provider     text NOT NULL,
        event_id     text NOT NULL,
        type         text NOT NULL,
        outcome      text NOT NULL,
        payment_id   uuid,
        received_at  timestamptz NOT NULL,
        PRIMARY KEY (provider, event_id)
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE payment_webhook_events');
    await q.query('DROP TABLE payment_operations');
    await q.query('DROP TABLE payment_refunds');
    await q.query('DROP TABLE payments');
  }
}
