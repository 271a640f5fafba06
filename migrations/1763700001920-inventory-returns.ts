import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Inventory: units of a return come back into a warehouse (issue 21). A receipt is recorded once per
 * return (`inventory_return_receipts`, the return's idempotency anchor: a second receipt of the same
 * return inserts nothing and changes nothing); its ledger rows are `return` (units back on hand) and
 * `write_off` (damaged units taken off again) movements that name the return. A `return_id` belongs to
 * exactly those two kinds, and only to a recorded receipt.
 */
export class InventoryReturns1763700001920 implements MigrationInterface {
  name = 'InventoryReturns1763700001920';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE inventory_return_receipts (
        return_id     uuid PRIMARY KEY,
        warehouse_id  uuid NOT NULL REFERENCES inventory_warehouses(id),
        received_at   timestamptz NOT NULL
      )`);
    await q.query('ALTER TABLE inventory_movements DROP CONSTRAINT inventory_movements_kind_check');
    await q.query(
      `ALTER TABLE inventory_movements ADD CONSTRAINT inventory_movements_kind_check
         CHECK (kind IN ('adjustment', 'reservation', 'release', 'shipment', 'return', 'write_off'))`,
    );
    await q.query(
      'ALTER TABLE inventory_movements ADD COLUMN return_id uuid REFERENCES inventory_return_receipts(return_id)',
    );
    await q.query(
      `ALTER TABLE inventory_movements ADD CONSTRAINT inventory_movements_return_ck
         CHECK ((kind IN ('return', 'write_off')) = (return_id IS NOT NULL))`,
    );
    await q.query(
      'CREATE INDEX inventory_movements_return_idx ON inventory_movements (return_id, seq) WHERE return_id IS NOT NULL',
    );
  }

  async down(q: QueryRunner): Promise<void> {
    // refuses (the kind CHECK) while the ledger holds return movements: a ledger is never rewritten
    await q.query('DROP INDEX inventory_movements_return_idx');
    await q.query('ALTER TABLE inventory_movements DROP CONSTRAINT inventory_movements_return_ck');
    await q.query('ALTER TABLE inventory_movements DROP COLUMN return_id');
    await q.query('ALTER TABLE inventory_movements DROP CONSTRAINT inventory_movements_kind_check');
    await q.query(
      `ALTER TABLE inventory_movements ADD CONSTRAINT inventory_movements_kind_check
         CHECK (kind IN ('adjustment', 'reservation', 'release', 'shipment'))`,
    );
    await q.query('DROP TABLE inventory_return_receipts');
  }
}
