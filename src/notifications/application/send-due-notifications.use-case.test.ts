import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  anOrder,
  type InMemoryNotifications,
  inMemoryNotifications,
} from '../../../test/support/in-memory/notifications.deps.js';
import type { NotificationFacts } from '../domain/notification.aggregate.js';
import { NO_RECIPIENT } from '../domain/notification.aggregate.js';
import type { NotificationTemplate } from '../domain/notification.lifecycle.js';
import { QueueNotification } from './queue-notification.use-case.js';
import { SendDueNotifications } from './send-due-notifications.use-case.js';

const queue = async (
  f: InMemoryNotifications,
  orderId: string,
  template: NotificationTemplate = 'order-confirmed',
  facts: NotificationFacts = {},
) => {
  await f.uow.run(({ tx }) =>
    new QueueNotification(f.deps).execute({ eventId: randomUUID(), template, orderId, facts }, tx),
  );
  return [...f.repos.notifications.rows.values()].at(-1)!.id;
};

const customerOrder = (f: InMemoryNotifications) => {
  const order = anOrder({ email: 'copied-at-checkout@example.com' });
  f.orders.set(order.id, order);
  f.contacts.set(order.customerId!, { email: 'ada.now@example.com', name: 'Ada <Countess>' });
  return order;
};

describe('SendDueNotifications', () => {
  it('sends the confirmation to the customer’s account email as it is now, rendered from the templates, and keeps the mail', async () => {
    const f = inMemoryNotifications();
    const order = customerOrder(f);
    const id = await queue(f, order.id);
    expect(await new SendDueNotifications(f.deps).execute()).toEqual({ sent: 1, retried: 0, failed: 0 });
    const [mail] = f.mailer.sent;
    expect(mail).toMatchObject({
      id,
      from: 'Shop <shop@example.com>',
      to: { address: 'ada.now@example.com', name: 'Ada <Countess>' },
      subject: 'Your order EU-000042 is confirmed',
    });
    expect(mail!.text).toContain('Hello Ada <Countess>,');
    expect(mail!.text).toContain('2 × Blue mug');
    expect(mail!.text).toContain('€29.90');
    expect(mail!.html).toContain('Ada &lt;Countess&gt;');
    expect(mail!.html).not.toContain('<Countess>');
    expect(f.repos.notifications.rows.get(id)).toMatchObject({
      status: 'sent',
      attempts: 1,
      sentAt: f.clock.now(),
      nextAttemptAt: null,
      customerId: order.customerId,
      to: 'ada.now@example.com',
      subject: mail!.subject,
      text: mail!.text,
      html: mail!.html,
    });
    expect(f.counted).toEqual(['sent']);
  });

  it('sends a guest order’s mail to the order’s email, greeting the name of its shipping address', async () => {
    const f = inMemoryNotifications();
    const order = anOrder({ customerId: null, email: 'guest@example.com' });
    f.orders.set(order.id, order);
    await queue(f, order.id, 'order-cancelled');
    await new SendDueNotifications(f.deps).execute();
    expect(f.mailer.sent[0]).toMatchObject({
      to: { address: 'guest@example.com', name: 'Ada Lovelace' },
      subject: 'Your order EU-000042 was cancelled',
    });
  });

  it('puts the tracking number into the dispatch mail and the refunded amount into the refund mail', async () => {
    const f = inMemoryNotifications();
    const order = customerOrder(f);
    await queue(f, order.id, 'shipment-dispatched', { trackingNumber: 'TRK-777' });
    await queue(f, order.id, 'refund-issued', { amount: 1250, currency: 'EUR' });
    await new SendDueNotifications(f.deps).execute();
    const bySubject = new Map(f.mailer.sent.map((m) => [m.subject, m]));
    const dispatched = bySubject.get('Your order EU-000042 is on its way')!;
    expect(dispatched.text).toContain('TRK-777');
    expect(dispatched.html).toContain('TRK-777');
    expect(bySubject.get('A refund for your order EU-000042')!.text).toContain('€12.50');
  });

  it('puts the return’s number, its lines named as on the order and the returns address into the return-approved mail', async () => {
    const f = inMemoryNotifications();
    const order = customerOrder(f);
    await queue(f, order.id, 'return-approved', {
      returnNumber: 'EU-000042-R1',
      returnLines: [
        { sku: 'MUG-1', quantity: 1 },
        { sku: 'GONE-1', quantity: 3 },
      ],
    });
    await new SendDueNotifications(f.deps).execute();
    const [mail] = f.mailer.sent;
    expect(mail).toMatchObject({
      to: { address: 'ada.now@example.com' },
      subject: 'Your return EU-000042-R1 is approved',
    });
    for (const part of [mail!.text, mail!.html]) {
      expect(part).toContain('EU-000042-R1');
      expect(part).toContain('1 × Blue mug');
      expect(part).toContain('3 × GONE-1'); // a SKU the order has no line of: named by its SKU
      expect(part).toContain('Shop Returns, 1 Dock Road, 10115 Berlin');
    }
  });

  it('puts the refunded amount, in the locale’s format, and the return’s number into the return-refunded mail', async () => {
    const f = inMemoryNotifications({ locales: ['de', 'en'] });
    const order = customerOrder(f);
    await queue(f, order.id, 'return-refunded', {
      returnNumber: 'EU-000042-R1',
      amount: 1250,
      currency: 'EUR',
    });
    await new SendDueNotifications(f.deps).execute();
    const [mail] = f.mailer.sent;
    expect(mail!.subject).toBe('Erstattung zu Ihrer Rücksendung EU-000042-R1');
    for (const part of [mail!.text, mail!.html]) {
      expect(part).toContain('EU-000042-R1');
      expect(part).toContain('12,50\u00a0€');
    }
  });

  it('sends no return mail to an erased customer either', async () => {
    const f = inMemoryNotifications();
    const order = anOrder();
    f.orders.set(order.id, order); // identity answers no contact for an erased account
    const id = await queue(f, order.id, 'return-approved', {
      returnNumber: 'EU-000042-R1',
      returnLines: [{ sku: 'MUG-1', quantity: 1 }],
    });
    expect(await new SendDueNotifications(f.deps).execute()).toEqual({ sent: 0, retried: 0, failed: 1 });
    expect(f.mailer.tried).toEqual([]);
    expect(f.repos.notifications.rows.get(id)).toMatchObject({ status: 'failed', lastError: NO_RECIPIENT });
  });

  it('writes in the notification’s locale, falling back to the region’s next locale with the template', async () => {
    const german = inMemoryNotifications({ locales: ['de', 'en'] });
    await queue(german, customerOrder(german).id);
    await new SendDueNotifications(german.deps).execute();
    expect(german.mailer.sent[0]!.subject).toBe('Ihre Bestellung EU-000042 ist bestätigt');
    expect(german.mailer.sent[0]!.text).toContain('29,90');

    // no French templates: the region's next locale, then English
    const french = inMemoryNotifications({ locales: ['fr', 'de'] });
    await queue(french, customerOrder(french).id);
    await new SendDueNotifications(french.deps).execute();
    expect(french.mailer.sent[0]!.subject).toBe('Ihre Bestellung EU-000042 ist bestätigt');
  });

  it('sends nothing to an erased customer: the notification is failed at once, no attempt counted', async () => {
    const f = inMemoryNotifications();
    const order = anOrder();
    f.orders.set(order.id, order); // no contact: identity answers null for an erased account
    const id = await queue(f, order.id);
    expect(await new SendDueNotifications(f.deps).execute()).toEqual({ sent: 0, retried: 0, failed: 1 });
    expect(f.mailer.tried).toEqual([]);
    expect(f.repos.notifications.rows.get(id)).toMatchObject({
      status: 'failed',
      attempts: 0,
      lastError: NO_RECIPIENT,
      to: null,
      text: null,
    });
  });

  it('retries a refused mail with exponential backoff, then marks it failed, with the SMTP reply visible', async () => {
    const f = inMemoryNotifications();
    const id = await queue(f, customerOrder(f).id);
    f.mailer.down = 'SMTP 421 4.3.2 try again later';
    const send = new SendDueNotifications(f.deps);
    const row = () => f.repos.notifications.rows.get(id)!;

    expect(await send.execute()).toEqual({ sent: 0, retried: 1, failed: 0 });
    expect(row()).toMatchObject({
      status: 'queued',
      attempts: 1,
      lastError: 'SMTP 421 4.3.2 try again later',
    });
    expect(row().nextAttemptAt!.getTime() - f.clock.now().getTime()).toBe(1_000);

    f.clock.advance(999);
    expect(await send.execute()).toEqual({ sent: 0, retried: 0, failed: 0 }); // not due yet
    f.clock.advance(1);
    await send.execute();
    expect(row()).toMatchObject({ status: 'queued', attempts: 2 });
    expect(row().nextAttemptAt!.getTime() - f.clock.now().getTime()).toBe(2_000); // doubled

    f.clock.advance(2_000);
    expect(await send.execute()).toEqual({ sent: 0, retried: 0, failed: 1 }); // the 3rd and last attempt
    expect(row()).toMatchObject({ status: 'failed', attempts: 3, nextAttemptAt: null });
    expect(f.mailer.tried).toHaveLength(3);
    expect(f.counted).toEqual(['retried', 'retried', 'failed']);
  });

  it('a refused mail that the server takes later is sent', async () => {
    const f = inMemoryNotifications();
    const id = await queue(f, customerOrder(f).id);
    f.mailer.down = 'SMTP ECONNREFUSED connect ECONNREFUSED 127.0.0.1:2525';
    const send = new SendDueNotifications(f.deps);
    await send.execute();
    f.mailer.down = null;
    f.clock.advance(1_000);
    await send.execute();
    expect(f.repos.notifications.rows.get(id)).toMatchObject({
      status: 'sent',
      attempts: 2,
      lastError: null,
    });
    expect(f.mailer.sent).toHaveLength(1);
  });

  it('leases what it takes: a second sender meanwhile takes none of them, nor does a locked row go twice', async () => {
    const f = inMemoryNotifications();
    const order = customerOrder(f);
    await queue(f, order.id);
    const held = await queue(f, order.id, 'order-cancelled');
    f.repos.notifications.held.add(held); // another instance's transaction holds it
    let inner: unknown;
    f.mailer.send = async (mail) => {
      inner ??= await new SendDueNotifications(f.deps).execute(); // a second pass while the first sends
      f.mailer.sent.push(mail);
    };
    await new SendDueNotifications(f.deps).execute();
    expect(inner).toEqual({ sent: 0, retried: 0, failed: 0 });
    expect(f.mailer.sent.map((m) => m.subject)).toEqual(['Your order EU-000042 is confirmed']);
  });

  it('hands back what it took but had no time for (a slow server), due at once for the next pass', async () => {
    const f = inMemoryNotifications();
    const order = customerOrder(f);
    for (let i = 0; i < 3; i++)
      await queue(f, order.id, 'shipment-dispatched', { trackingNumber: `TRK-${i}` });
    const original = f.mailer.send.bind(f.mailer);
    f.mailer.send = async (mail) => {
      f.clock.advance(3_000); // each mail takes 3 s: the 5 s budget ends after the second
      await original(mail);
    };
    expect(await new SendDueNotifications(f.deps).execute()).toEqual({ sent: 2, retried: 0, failed: 0 });
    const [left] = [...f.repos.notifications.rows.values()].filter((r) => r.status === 'queued');
    expect(left).toMatchObject({ attempts: 0, nextAttemptAt: f.clock.now() });
    f.mailer.send = original;
    expect(await new SendDueNotifications(f.deps).execute()).toEqual({ sent: 1, retried: 0, failed: 0 });
  });
});
