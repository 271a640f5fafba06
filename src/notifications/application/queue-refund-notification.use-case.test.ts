import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { inMemoryNotifications } from '../../../test/support/in-memory/notifications.deps.js';
import { QueueRefundNotification } from './queue-refund-notification.use-case.js';

describe('QueueRefundNotification', () => {
  it('queues refund-issued with the amount for a refund that is no return’s (an admin’s, a cancellation’s, one made at the provider)', async () => {
    const f = inMemoryNotifications();
    const orderId = randomUUID();
    for (const refundId of [randomUUID(), undefined]) {
      const eventId = randomUUID();
      const queued = await f.uow.run(({ tx }) =>
        new QueueRefundNotification(f.deps).execute(
          { eventId, orderId, ...(refundId ? { refundId } : {}), amount: 1_250, currency: 'EUR' },
          tx,
        ),
      );
      expect(queued).toBe(true);
    }
    expect([...f.repos.notifications.rows.values()]).toMatchObject([
      { orderId, template: 'refund-issued', facts: { amount: 1_250, currency: 'EUR' } },
      { orderId, template: 'refund-issued' },
    ]);
  });

  it('queues nothing for a return’s refund — return-refunded tells it — asking returns on the consumer’s transaction', async () => {
    const f = inMemoryNotifications();
    const refundId = randomUUID();
    f.returnRefunds.set(refundId, {
      returnId: randomUUID(),
      number: 'EU-000042-R1',
      orderId: randomUUID(),
      exchange: false,
    });
    let consumerTx: unknown;
    const queued = await f.uow.run(({ tx }) => {
      consumerTx = tx;
      return new QueueRefundNotification(f.deps).execute(
        { eventId: randomUUID(), orderId: randomUUID(), refundId, amount: 500, currency: 'EUR' },
        tx,
      );
    });
    expect(queued).toBe(false);
    expect(f.refundAsked).toEqual([{ refundId, tx: consumerTx }]);
    expect(f.repos.notifications.rows.size).toBe(0);
  });

  it('an exchange’s price difference is told by refund-issued: its return sends no refund mail of its own', async () => {
    const f = inMemoryNotifications();
    const refundId = randomUUID();
    const orderId = randomUUID();
    f.returnRefunds.set(refundId, {
      returnId: randomUUID(),
      number: 'EU-000043-R1',
      orderId,
      exchange: true,
    });
    const queued = await f.uow.run(({ tx }) =>
      new QueueRefundNotification(f.deps).execute(
        { eventId: randomUUID(), orderId, refundId, amount: 200, currency: 'EUR' },
        tx,
      ),
    );
    expect(queued).toBe(true);
    expect([...f.repos.notifications.rows.values()]).toMatchObject([
      { orderId, template: 'refund-issued', facts: { amount: 200 } },
    ]);
  });
});
