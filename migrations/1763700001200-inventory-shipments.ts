import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Inventory: stock leaves the warehouse when fulfilment dispatches a shipment. The reserved units of
 * that warehouse's reservation lines are taken off both on hand and reserved, with one `shipment`
 * movement per line in the ledger; the line remembers when it shipped (so a redelivered dispatch does
 * nothing, and a release never gives back what has left), and a reservation whose every line shipped
 * is `shipped`.
 */
export class InventoryShipments1763700001200 implements MigrationInterface {
  name = 'InventoryShipments1763700001200';

  async up(q: QueryRunner): Promise<void> {
    await q.query('ALTER TABLE inventory_movements DROP CONSTRAINT inventory_movements_kind_check');
    await q.query(
      `ALTER TABLE inventory_movements ADD CONSTRAINT inventory_movements_kind_check
         CHECK (kind IN ('adjustment', 'reservation', 'release', 'shipment'))`,
    );
    await q.query('ALTER TABLE inventory_reservation_lines ADD COLUMN shipped_at timestamptz');
    await q.query('ALTER TABLE inventory_reservations DROP CONSTRAINT inventory_reservations_status_check');
    await q.query(
      `ALTER TABLE inventory_reservations ADD CONSTRAINT inventory_reservations_status_check
         CHECK (status IN ('reserved', 'confirmed', 'released', 'shipped'))`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('ALTER TABLE inventory_reservations DROP CONSTRAINT inventory_reservations_status_check');
    await q.query(
      `ALTER TABLE inventory_reservations ADD CONSTRAINT inventory_reservations_status_check
         CHECK (status IN ('reserved', 'confirmed', 'released'))`,
    );
    await q.query('ALTER TABLE inventory_reservation_lines DROP COLUMN shipped_at');
    await q.query('ALTER TABLE inventory_movements DROP CONSTRAINT inventory_movements_kind_check');
    await q.query(
      `ALTER TABLE inventory_movements ADD CONSTRAINT inventory_movements_kind_check
         CHECK (kind IN ('adjustment', 'reservation', 'release'))`,
    );
  }
}
