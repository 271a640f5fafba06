import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { anOrder, inMemoryNotifications } from '../../../test/support/in-memory/notifications.deps.js';
import { IllegalStateTransitionError } from '../../platform/errors.js';
import { NotificationNotFoundError } from '../domain/notifications.errors.js';
import { QueueNotification } from './queue-notification.use-case.js';
import { ResendNotification } from './resend-notification.use-case.js';
import { SendDueNotifications } from './send-due-notifications.use-case.js';

const failedNotification = async () => {
  const f = inMemoryNotifications({ retry: { maxAttempts: 1, baseDelayMs: 1_000, maxDelayMs: 1_000 } });
  const order = anOrder();
  f.orders.set(order.id, order);
  f.contacts.set(order.customerId!, { email: 'ada@example.com', name: 'Ada' });
  await f.uow.run(({ tx }) =>
    new QueueNotification(f.deps).execute(
      { eventId: randomUUID(), template: 'order-confirmed', orderId: order.id, facts: {} },
      tx,
    ),
  );
  f.mailer.down = 'SMTP 554 no thanks';
  await new SendDueNotifications(f.deps).execute();
  const id = [...f.repos.notifications.rows.keys()][0]!;
  expect(f.repos.notifications.rows.get(id)!.status).toBe('failed');
  f.mailer.down = null;
  return { f, id };
};

describe('ResendNotification', () => {
  it('queues a failed notification again, due now, attempts from zero; the next pass sends it', async () => {
    const { f, id } = await failedNotification();
    f.clock.advance(60_000);
    const view = await new ResendNotification(f.deps).execute(id);
    expect(view).toMatchObject({ id, status: 'queued', attempts: 0, lastError: null, sentAt: null });
    expect(view.nextAttemptAt).toBe(f.clock.now().toISOString());
    expect(f.repos.notifications.locks).toContain(id);
    await new SendDueNotifications(f.deps).execute();
    expect(f.repos.notifications.rows.get(id)).toMatchObject({ status: 'sent', attempts: 1 });
    expect(f.mailer.sent).toHaveLength(1);
  });

  it('queues a sent notification again (the customer lost the mail)', async () => {
    const { f, id } = await failedNotification();
    await new ResendNotification(f.deps).execute(id);
    await new SendDueNotifications(f.deps).execute();
    const again = await new ResendNotification(f.deps).execute(id);
    expect(again.status).toBe('queued');
    await new SendDueNotifications(f.deps).execute();
    expect(f.mailer.sent).toHaveLength(2);
  });

  it('refuses one still queued (409) and an unknown one (404)', async () => {
    const { f, id } = await failedNotification();
    const resend = new ResendNotification(f.deps);
    await resend.execute(id);
    await expect(resend.execute(id)).rejects.toBeInstanceOf(IllegalStateTransitionError);
    await expect(resend.execute(randomUUID())).rejects.toBeInstanceOf(NotificationNotFoundError);
  });
});
