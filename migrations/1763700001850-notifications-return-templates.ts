import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Three more emails (issue 21, returns): `return-approved`, `return-refunded` and `replacement-shipped`
 * join the templates the `notifications` table accepts. `down` removes those notifications (kept mail
 * of returns, which the old list cannot hold) before it narrows the list again.
 */
export class NotificationsReturnTemplates1763700001850 implements MigrationInterface {
  name = 'NotificationsReturnTemplates1763700001850';

  async up(q: QueryRunner): Promise<void> {
    await q.query('ALTER TABLE notifications DROP CONSTRAINT notifications_template_check');
    await q.query(`
      ALTER TABLE notifications ADD CONSTRAINT notifications_template_check
        CHECK (template IN ('order-confirmed', 'shipment-dispatched', 'order-cancelled', 'refund-issued',
                            'return-approved', 'return-refunded', 'replacement-shipped'))`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(
      `DELETE FROM notifications
        WHERE template IN ('return-approved', 'return-refunded', 'replacement-shipped')`,
    );
    await q.query('ALTER TABLE notifications DROP CONSTRAINT notifications_template_check');
    await q.query(`
      ALTER TABLE notifications ADD CONSTRAINT notifications_template_check
        CHECK (template IN ('order-confirmed', 'shipment-dispatched', 'order-cancelled', 'refund-issued'))`);
  }
}
