import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Payments: a capture asked for at the first dispatch of the order (fulfilment), recorded in the
 * transaction that moved the order to SHIPPED and made at the provider after it — at once, and by the
 * payments worker until it succeeds. `capture_requested_at` set on an AUTHORIZED payment means the
 * capture is due.
 */
export class PaymentsCaptureRequests1763700001300 implements MigrationInterface {
  name = 'PaymentsCaptureRequests1763700001300';

  async up(q: QueryRunner): Promise<void> {
    await q.query('ALTER TABLE payments ADD COLUMN capture_requested_at timestamptz');
    await q.query(
      `CREATE INDEX payments_capture_due_idx ON payments (updated_at)
         WHERE status = 'AUTHORIZED' AND capture_requested_at IS NOT NULL`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP INDEX payments_capture_due_idx');
    await q.query('ALTER TABLE payments DROP COLUMN capture_requested_at');
  }
}
