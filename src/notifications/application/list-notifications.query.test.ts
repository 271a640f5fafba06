import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { anOrder, inMemoryNotifications } from '../../../test/support/in-memory/notifications.deps.js';
import { ListNotifications } from './list-notifications.query.js';
import { QueueNotification } from './queue-notification.use-case.js';
import { SendDueNotifications } from './send-due-notifications.use-case.js';

const setUp = async () => {
  const f = inMemoryNotifications();
  const orders = [anOrder(), anOrder({ customerId: null, email: 'guest@example.com' })];
  for (const o of orders) f.orders.set(o.id, o);
  f.contacts.set(orders[0]!.customerId!, { email: 'ada@example.com', name: 'Ada' });
  const ids: string[] = [];
  for (const template of ['order-confirmed', 'shipment-dispatched', 'order-cancelled'] as const) {
    for (const o of orders) {
      await f.uow.run(({ tx }) =>
        new QueueNotification(f.deps).execute(
          { eventId: randomUUID(), template, orderId: o.id, facts: {} },
          tx,
        ),
      );
      ids.push([...f.repos.notifications.rows.keys()].at(-1)!);
      f.clock.advance(1_000);
    }
  }
  return { f, orders, ids };
};

describe('ListNotifications', () => {
  it('lists newest first, page by page, every notification once', async () => {
    const { f, ids } = await setUp();
    const list = new ListNotifications(f.deps);
    const seen: string[] = [];
    let page = await list.execute({}, 4, null);
    seen.push(...page.items.map((n) => n.id));
    while (page.next) {
      page = await list.execute({}, 4, page.next);
      seen.push(...page.items.map((n) => n.id));
    }
    expect(seen).toEqual([...ids].reverse());
  });

  it('filters by status and by order, combined', async () => {
    const { f, orders } = await setUp();
    await new SendDueNotifications(f.deps).execute(); // all sent
    const list = new ListNotifications(f.deps);
    expect((await list.execute({ status: 'sent' }, 20, null)).items).toHaveLength(6);
    expect((await list.execute({ status: 'queued' }, 20, null)).items).toHaveLength(0);
    const ofGuest = await list.execute({ orderId: orders[1]!.id, status: 'sent' }, 20, null);
    expect(ofGuest.items.map((n) => n.to)).toEqual([
      'guest@example.com',
      'guest@example.com',
      'guest@example.com',
    ]);
  });

  it('answers the listing’s fields, JSON-ready, without the mail itself', async () => {
    const { f, orders } = await setUp();
    const [item] = (await new ListNotifications(f.deps).execute({ orderId: orders[0]!.id }, 1, null)).items;
    expect(item).toEqual({
      id: expect.any(String),
      template: 'order-cancelled',
      orderId: orders[0]!.id,
      to: null,
      subject: null,
      status: 'queued',
      attempts: 0,
      sentAt: null,
      createdAt: '2026-03-01T10:00:04.000Z',
    });
  });
});
