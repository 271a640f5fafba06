import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { inMemoryNotifications } from '../../../test/support/in-memory/notifications.deps.js';
import { QueueNotification } from './queue-notification.use-case.js';

describe('QueueNotification', () => {
  it('queues a notification due now, in the region’s default locale, with nothing rendered yet', async () => {
    const f = inMemoryNotifications();
    const orderId = randomUUID();
    const eventId = randomUUID();
    const queued = await f.uow.run(({ tx }) =>
      new QueueNotification(f.deps).execute(
        { eventId, template: 'shipment-dispatched', orderId, facts: { trackingNumber: 'TRK-1' } },
        tx,
      ),
    );
    expect(queued).toBe(true);
    const [row] = [...f.repos.notifications.rows.values()];
    expect(row).toMatchObject({
      eventId,
      orderId,
      template: 'shipment-dispatched',
      locale: 'en',
      facts: { trackingNumber: 'TRK-1' },
      status: 'queued',
      attempts: 0,
      nextAttemptAt: f.clock.now(),
      to: null,
      text: null,
    });
    expect(f.mailer.tried).toEqual([]);
  });

  it('queues one notification per event and template, however often the event comes', async () => {
    const f = inMemoryNotifications();
    const queue = new QueueNotification(f.deps);
    const request = {
      eventId: randomUUID(),
      template: 'order-confirmed' as const,
      orderId: randomUUID(),
      facts: {},
    };
    const first = await f.uow.run(({ tx }) => queue.execute(request, tx));
    const again = await f.uow.run(({ tx }) => queue.execute(request, tx));
    const other = await f.uow.run(({ tx }) => queue.execute({ ...request, template: 'order-cancelled' }, tx));
    expect([first, again, other]).toEqual([true, false, true]);
    expect(f.repos.notifications.rows.size).toBe(2);
  });

  it('keeps a return’s number and lines as the facts of its notification', async () => {
    const f = inMemoryNotifications();
    const facts = { returnNumber: 'EU-000042-R1', returnLines: [{ sku: 'MUG-1', quantity: 2 }] };
    await f.uow.run(({ tx }) =>
      new QueueNotification(f.deps).execute(
        { eventId: randomUUID(), template: 'return-approved', orderId: randomUUID(), facts },
        tx,
      ),
    );
    facts.returnLines[0]!.quantity = 5; // the caller's object is not the notification's
    expect([...f.repos.notifications.rows.values()][0]).toMatchObject({
      template: 'return-approved',
      status: 'queued',
      facts: { returnNumber: 'EU-000042-R1', returnLines: [{ sku: 'MUG-1', quantity: 2 }] },
    });
  });

  it('writes in the region’s first locale', async () => {
    const f = inMemoryNotifications({ locales: ['de', 'en'] });
    await f.uow.run(({ tx }) =>
      new QueueNotification(f.deps).execute(
        { eventId: randomUUID(), template: 'order-confirmed', orderId: randomUUID(), facts: {} },
        tx,
      ),
    );
    expect([...f.repos.notifications.rows.values()][0]!.locale).toBe('de');
  });
});
