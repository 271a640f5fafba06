import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Returns context tables: returns — numbered per order (unique (order_id, seq): `EU-000123-R1`), their
 * lines, exchange and receipt as jsonb (they change as a whole, with the return), the refund of the
 * receipt (what is owed, what payments reserved, the current attempt's refund id), the replacement
 * order of an exchange (unique: one return per replacement) — and each return's history (every move
 * and note, who and when). Statuses are CHECKed against the lifecycle; no foreign keys to other
 * contexts: orders, customers, warehouses and refunds are plain ids.
 */
export class Returns1763700001900 implements MigrationInterface {
  name = 'Returns1763700001900';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE returns_returns (
        id                    uuid PRIMARY KEY,
        order_id              uuid NOT NULL,
        order_number          text NOT NULL,
        seq                   integer NOT NULL CHECK (seq >= 1),
        number                text NOT NULL,
        customer_id           uuid,
        currency              char(3) NOT NULL,
        status                text NOT NULL CHECK (status IN ('REQUESTED', 'APPROVED', 'RECEIVED', 'REFUNDED',
                                'EXCHANGED', 'CANCELLED', 'REJECTED')),
        lines                 jsonb NOT NULL CHECK (jsonb_typeof(lines) = 'array' AND jsonb_array_length(lines) > 0),
        exchange              jsonb NOT NULL DEFAULT '[]' CHECK (jsonb_typeof(exchange) = 'array'),
        note                  text CHECK (char_length(note) <= 1000),
        refund_due            bigint CHECK (refund_due >= 0),
        refund_amount         bigint CHECK (refund_amount >= 0),
        refund_id             uuid,
        refund_attempts       integer NOT NULL DEFAULT 0 CHECK (refund_attempts >= 0),
        refund_open           boolean NOT NULL DEFAULT false,
        replacement_order_id  uuid,
        warehouse_id          uuid,
        receipt               jsonb NOT NULL DEFAULT '[]' CHECK (jsonb_typeof(receipt) = 'array'),
        created_at            timestamptz NOT NULL,
        updated_at            timestamptz NOT NULL,
        version               integer NOT NULL DEFAULT 0,
        CONSTRAINT returns_returns_order_seq_uq UNIQUE (order_id, seq),
        CONSTRAINT returns_returns_replacement_uq UNIQUE (replacement_order_id),
        -- a received return names its warehouse; one not received yet none
        CONSTRAINT returns_returns_receipt_ck CHECK (
          (status IN ('RECEIVED', 'REFUNDED', 'EXCHANGED')) = (warehouse_id IS NOT NULL)),
        -- an exchanged return has its replacement order, and only an exchange has one
        CONSTRAINT returns_returns_replacement_ck CHECK (
          (status = 'EXCHANGED') = (replacement_order_id IS NOT NULL)),
        -- a refund is open only once received
        CONSTRAINT returns_returns_refund_open_ck CHECK (
          NOT refund_open OR status IN ('RECEIVED', 'EXCHANGED'))
      )`);
    // the staff listing, oldest first, with or without a status filter (the order filter uses the unique index)
    await q.query('CREATE INDEX returns_returns_created_idx ON returns_returns (created_at, id)');
    await q.query('CREATE INDEX returns_returns_status_idx ON returns_returns (status, created_at, id)');
    await q.query(
      'CREATE UNIQUE INDEX returns_returns_refund_uq ON returns_returns (refund_id) WHERE refund_id IS NOT NULL',
    );
    // the refund retry worker's queue
    await q.query(
      'CREATE INDEX returns_returns_refund_open_idx ON returns_returns (updated_at) WHERE refund_open',
    );
    // GDPR export and erasure
    await q.query(
      'CREATE INDEX returns_returns_customer_idx ON returns_returns (customer_id) WHERE customer_id IS NOT NULL',
    );
    await q.query(`
      CREATE TABLE returns_return_history (
        return_id    uuid NOT NULL REFERENCES returns_returns(id) ON DELETE CASCADE,
        position     smallint NOT NULL CHECK (position >= 0),
        from_status  text,
        status       text NOT NULL,
        at           timestamptz NOT NULL,
        reason       text,
        actor_kind   text NOT NULL CHECK (actor_kind IN ('customer', 'guest', 'staff', 'system')),
        actor_id     uuid,
        PRIMARY KEY (return_id, position)
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE returns_return_history');
    await q.query('DROP TABLE returns_returns');
  }
}
