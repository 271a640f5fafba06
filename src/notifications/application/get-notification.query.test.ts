import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { anOrder, inMemoryNotifications } from '../../../test/support/in-memory/notifications.deps.js';
import { NotificationNotFoundError } from '../domain/notifications.errors.js';
import { GetNotification } from './get-notification.query.js';
import { QueueNotification } from './queue-notification.use-case.js';
import { SendDueNotifications } from './send-due-notifications.use-case.js';

describe('GetNotification', () => {
  it('answers one notification with the mail that was sent: text and HTML', async () => {
    const f = inMemoryNotifications();
    const order = anOrder({ customerId: null, email: 'guest@example.com' });
    f.orders.set(order.id, order);
    await f.uow.run(({ tx }) =>
      new QueueNotification(f.deps).execute(
        { eventId: randomUUID(), template: 'order-confirmed', orderId: order.id, facts: {} },
        tx,
      ),
    );
    const id = [...f.repos.notifications.rows.keys()][0]!;
    const get = new GetNotification(f.deps);
    expect(await get.execute(id)).toMatchObject({ status: 'queued', text: null, html: null });
    await new SendDueNotifications(f.deps).execute();
    const view = await get.execute(id);
    expect(view).toMatchObject({
      id,
      template: 'order-confirmed',
      orderId: order.id,
      to: 'guest@example.com',
      subject: 'Your order EU-000042 is confirmed',
      status: 'sent',
      attempts: 1,
      locale: 'en',
      sentAt: '2026-03-01T10:00:00.000Z',
      lastError: null,
      nextAttemptAt: null,
    });
    expect(view.text).toContain('EU-000042');
    expect(view.html).toContain('<strong>EU-000042</strong>');
  });

  it('404 for an unknown notification', async () => {
    const f = inMemoryNotifications();
    await expect(new GetNotification(f.deps).execute(randomUUID())).rejects.toBeInstanceOf(
      NotificationNotFoundError,
    );
  });
});
