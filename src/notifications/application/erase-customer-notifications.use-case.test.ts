import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { anOrder, inMemoryNotifications } from '../../../test/support/in-memory/notifications.deps.js';
import { NO_RECIPIENT } from '../domain/notification.aggregate.js';
import { EraseCustomerNotifications } from './erase-customer-notifications.use-case.js';
import { QueueNotification } from './queue-notification.use-case.js';
import { SendDueNotifications } from './send-due-notifications.use-case.js';

describe('EraseCustomerNotifications', () => {
  it('removes the address and the mail from the customer’s notifications, fails one still being retried, leaves others alone', async () => {
    const f = inMemoryNotifications();
    const mine = anOrder();
    const theirs = anOrder();
    for (const o of [mine, theirs]) {
      f.orders.set(o.id, o);
      f.contacts.set(o.customerId!, { email: `${o.customerId}@example.com`, name: 'Someone' });
    }
    const queue = (orderId: string, template: 'order-confirmed' | 'order-cancelled') =>
      f.uow.run(({ tx }) =>
        new QueueNotification(f.deps).execute({ eventId: randomUUID(), template, orderId, facts: {} }, tx),
      );
    await queue(mine.id, 'order-confirmed');
    await queue(theirs.id, 'order-confirmed');
    const send = new SendDueNotifications(f.deps);
    await send.execute();
    await queue(mine.id, 'order-cancelled');
    f.mailer.down = 'SMTP 451 later';
    f.clock.advance(1);
    await send.execute(); // the cancellation is rendered, and waits for its retry

    const erased = await f.uow.run(({ tx }) =>
      new EraseCustomerNotifications(f.deps).execute(mine.customerId!, tx),
    );
    expect(erased).toBe(2);
    const rows = [...f.repos.notifications.rows.values()];
    for (const r of rows.filter((r) => r.orderId === mine.id)) {
      expect(r).toMatchObject({ to: null, text: null, html: null, erasedAt: f.clock.now() });
    }
    expect(rows.find((r) => r.template === 'order-cancelled')).toMatchObject({
      status: 'failed',
      lastError: NO_RECIPIENT,
    });
    expect(rows.find((r) => r.orderId === theirs.id)).toMatchObject({
      status: 'sent',
      to: `${theirs.customerId}@example.com`,
    });
    expect(rows.find((r) => r.orderId === theirs.id)!.text).toContain('EU-000042');
  });

  it('erasing a customer without notifications changes nothing', async () => {
    const f = inMemoryNotifications();
    expect(
      await f.uow.run(({ tx }) => new EraseCustomerNotifications(f.deps).execute(randomUUID(), tx)),
    ).toBe(0);
  });
});
