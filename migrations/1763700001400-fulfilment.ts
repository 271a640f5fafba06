import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Fulfilment context tables: shipments — one per warehouse of a confirmed order's allocation (the
 * unique (order, warehouse) pair makes creating them idempotent), their lines (SKU and quantity, as
 * jsonb: they never change once created), the carrier and tracking number from dispatch on — and each
 * shipment's history (every step, who and when). No foreign keys to other contexts: orders and
 * warehouses are plain ids.
 */
export class Fulfilment1763700001400 implements MigrationInterface {
  name = 'Fulfilment1763700001400';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE fulfilment_shipments (
        id               uuid PRIMARY KEY,
        order_id         uuid NOT NULL,
        order_number     text NOT NULL,
        warehouse_id     uuid NOT NULL,
        status           text NOT NULL CHECK (status IN ('pending', 'picked', 'packed', 'dispatched',
                           'delivered', 'cancelled')),
        lines            jsonb NOT NULL CHECK (jsonb_typeof(lines) = 'array' AND jsonb_array_length(lines) > 0),
        carrier          text,
        tracking_number  text,
        created_at       timestamptz NOT NULL,
        updated_at       timestamptz NOT NULL,
        version          integer NOT NULL DEFAULT 0,
        CONSTRAINT fulfilment_shipments_order_warehouse_uq UNIQUE (order_id, warehouse_id),
        -- a parcel that left the warehouse has a carrier's tracking number; one that did not has none
        CONSTRAINT fulfilment_shipments_tracking_ck CHECK (
          (status IN ('dispatched', 'delivered')) = (tracking_number IS NOT NULL AND carrier IS NOT NULL))
      )`);
    // the staff listing, oldest first, with or without a status filter (the order filter uses the unique index)
    await q.query('CREATE INDEX fulfilment_shipments_created_idx ON fulfilment_shipments (created_at, id)');
    await q.query(
      'CREATE INDEX fulfilment_shipments_status_idx ON fulfilment_shipments (status, created_at, id)',
    );
    await q.query(
      `CREATE UNIQUE INDEX fulfilment_shipments_tracking_uq ON fulfilment_shipments (carrier, tracking_number)
         WHERE tracking_number IS NOT NULL`,
    );
    await q.query(`
      CREATE TABLE fulfilment_shipment_history (
        shipment_id  uuid NOT NULL REFERENCES fulfilment_shipments(id) ON DELETE CASCADE,
        position     smallint NOT NULL CHECK (position >= 0),
        from_status  text,
        status       text NOT NULL,
        at           timestamptz NOT NULL,
        reason       text,
        actor_kind   text NOT NULL CHECK (actor_kind IN ('staff', 'system')),
        actor_id     uuid,
        PRIMARY KEY (shipment_id, position)
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE fulfilment_shipment_history');
    await q.query('DROP TABLE fulfilment_shipments');
  }
}
