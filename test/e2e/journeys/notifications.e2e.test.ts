import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { StoredMailer } from '../../../src/notifications/notifications.plugin.js';
import { rowToEvent } from '../../../src/platform/outbox/outbox.store.js';
import { startTestApp, type TestApp } from '../../support/app.js';
import { checkout, readyCart, registerCustomer, uniqueSku } from '../../support/checkout.js';
import { shipmentsOf, shipThrough } from '../../support/fulfilment.js';
import { expectProblem, json, loginAs, shopAdmin } from '../../support/http.js';
import { consumerDeliveries } from '../../support/journey-checks.js';
import { missing } from '../../support/skip.js';
import { startSmtpServer, type TestSmtpServer } from '../../support/smtp.js';
import { pollUntil, waitFor } from '../../support/wait.js';

type Headers = Record<string, string>;

interface NotificationJson {
  id: string;
  template: string;
  orderId: string;
  to: string | null;
  subject: string | null;
  status: 'queued' | 'sent' | 'failed';
  attempts: number;
  sentAt: string | null;
  createdAt: string;
  text?: string | null;
  html?: string | null;
  lastError?: string | null;
}

const ADMIN = { email: 'notifications-admin@shop.example', password: 'admin-password-1' };
const SMTP_AUTH = { user: 'shop-mailer', pass: 'Sm7p-p@ss-for-tests' };

/** The sender looks every 50 ms; a refused mail is tried 3 times, 50 then 100 ms apart. */
const FAST = {
  notifications: { sendIntervalMs: 50, retry: { maxAttempts: 3, baseDelayMs: 50, maxDelayMs: 200 } },
  // the payments worker captures at once after a dispatch
  payments: {
    resilience: { maxAttempts: 1, halfOpenAfterMs: 100, breakerThreshold: 100 },
    settleIntervalMs: 100,
    settleAfterMs: 0,
  },
};

const journeyHelpers = (t: TestApp, admin: Headers) => {
  const shop = shopAdmin(t, admin);
  const product = async () => {
    const sku = uniqueSku('MAIL');
    await shop.createProduct([sku], { name: 'Mailed thing' });
    await shop.setPrice(sku, 1500);
    await shop.addStock(sku, 50);
    return sku;
  };
  const order = async (customer: { auth: Headers }, sku: string) => {
    const cartId = await readyCart(t, { lines: [{ sku, quantity: 1 }], auth: customer.auth });
    const placed = await checkout(t, cartId, 'tok_visa', { auth: customer.auth });
    expect(placed.statusCode, placed.body).toBe(201);
    return { id: placed.json().id as string, number: placed.json().number as string };
  };
  const notifications = async (query = '', headers = admin) => {
    const r = await t.app.inject({ method: 'GET', url: `/api/v1/admin/notifications${query}`, headers });
    expect(r.statusCode, r.body).toBe(200);
    return r.json() as { items: NotificationJson[]; nextCursor: string | null };
  };
  const notification = async (id: string) => {
    const r = await t.app.inject({ method: 'GET', url: `/api/v1/admin/notifications/${id}`, headers: admin });
    expect(r.statusCode, r.body).toBe(200);
    return r.json() as NotificationJson;
  };
  return { product, order, notifications, notification };
};

describe.skipIf(missing('postgres'))('notifications: customer email over a real SMTP server', () => {
  let t: TestApp;
  let smtp: TestSmtpServer;
  let admin: Headers;
  let h: ReturnType<typeof journeyHelpers>;
  /** every log line of the instance, at debug */
  const logs: string[] = [];
  const journey = {} as {
    customer: { id: string; email: string; auth: Headers };
    a: { id: string; number: string };
    b: { id: string; number: string };
    trackingNumber: string;
  };

  beforeAll(async () => {
    smtp = await startSmtpServer({ auth: SMTP_AUTH });
    t = await startTestApp(
      {
        ADMIN_EMAIL: ADMIN.email,
        ADMIN_PASSWORD: ADMIN.password,
        SMTP_URL: smtp.url,
        MAIL_FROM: 'Shopcore <orders@shop.example>',
        LOG_LEVEL: 'debug',
      },
      { contexts: FAST, logTo: { write: (line: string) => void logs.push(line) } },
    );
    admin = await loginAs(t, ADMIN);
    h = journeyHelpers(t, admin);
  });
  afterAll(async () => {
    await t?.close();
    await smtp?.close();
  });

  const mailsTo = (address: string) => smtp.received.filter((m) => m.rcptTo.includes(address));

  it('an order confirmed, dispatched and refunded, another cancelled: exactly one email of each, at the customer’s address, in the region’s locale', async () => {
    const sku = await h.product();
    const customer = await registerCustomer(t, 'Grace Hopper');
    journey.customer = customer;
    const a = await h.order(customer, sku);
    const b = await h.order(customer, sku);
    journey.a = a;
    journey.b = b;

    const cancel = await t.app.inject({
      method: 'POST',
      url: `/api/v1/orders/${b.id}/cancel`,
      headers: customer.auth,
    });
    expect(cancel.statusCode, cancel.body).toBe(200);

    const [shipment] = await pollUntil(
      () => shipmentsOf(t, admin, a.id),
      (items) => items.length === 1,
    );
    await shipThrough(t, admin, shipment!.id, ['pick', 'pack', 'dispatch']);
    const dispatched = await t.app.inject({
      method: 'GET',
      url: `/api/v1/admin/shipments/${shipment!.id}`,
      headers: admin,
    });
    journey.trackingNumber = dispatched.json().trackingNumber as string;
    expect(journey.trackingNumber).toBeTruthy();

    // the payment is captured after the dispatch (asynchronously): refund once there is something to refund
    const refund = await pollUntil(
      () =>
        t.app.inject({
          method: 'POST',
          url: `/api/v1/admin/orders/${a.id}/refunds`,
          ...json({ amount: 500, reason: 'a scratch' }, admin),
        }),
      (r) => r.statusCode === 201,
    );
    expect(refund.statusCode, refund.body).toBe(201);

    await waitFor('five emails to the customer', async () => mailsTo(customer.email).length >= 5);
    const mails = mailsTo(customer.email);
    expect(mails.map((m) => m.mail.subject).sort()).toEqual(
      [
        `Your order ${a.number} is confirmed`,
        `Your order ${b.number} is confirmed`,
        `Your order ${b.number} was cancelled`,
        `Your order ${a.number} is on its way`,
        `A refund for your order ${a.number}`,
      ].sort(),
    );
    for (const { mail, user } of mails) {
      expect(user).toBe(SMTP_AUTH.user);
      expect(mail.from?.value).toEqual([{ address: 'orders@shop.example', name: 'Shopcore' }]);
      const to = Array.isArray(mail.to) ? mail.to[0] : mail.to;
      expect(to?.value).toEqual([{ address: customer.email, name: 'Grace Hopper' }]);
      expect(mail.text).toMatch(/^Hello Grace Hopper,/); // eu: English first
      expect(mail.html).toContain('<html lang="en">');
    }
    const bySubject = (s: string) => mails.find((m) => m.mail.subject === s)!.mail;
    const onItsWay = bySubject(`Your order ${a.number} is on its way`);
    expect(onItsWay.text).toContain(journey.trackingNumber);
    expect(onItsWay.html).toContain(journey.trackingNumber);
    expect(bySubject(`Your order ${a.number} is confirmed`).text).toContain('Mailed thing');
    expect(bySubject(`A refund for your order ${a.number}`).text).toContain('€5.00');

    const listed = await h.notifications(`?orderId=${a.id}&status=sent`);
    expect(listed.items.map((n) => n.template).sort()).toEqual([
      'order-confirmed',
      'refund-issued',
      'shipment-dispatched',
    ]);
    for (const n of listed.items) expect(n).toMatchObject({ to: customer.email, attempts: 1 });
  });

  it('redelivering the events sends nothing more — through the inbox, and past it (one notification per event and template)', async () => {
    expect(journey.a, 'the journey ran').toBeDefined();
    const db = t.runtime.platform.dataSource;
    const rows = await db.query(
      `SELECT * FROM outbox WHERE data->>'orderId' = ANY($1::text[]) ORDER BY seq`,
      [[journey.a.id, journey.b.id]],
    );
    const events = rows.map(rowToEvent);
    const count = async () => Number((await db.query('SELECT count(*) AS n FROM notifications'))[0].n);
    const before = { notifications: await count(), mails: smtp.received.length };
    const duplicates = (await consumerDeliveries(t)).duplicate;

    // the in-process bus hands every event to every group again: the inbox knows them
    await t.runtime.platform.publisher.publish(events);
    expect((await consumerDeliveries(t)).duplicate).toBeGreaterThan(duplicates);
    // the inbox forgot them (a replay from a backup, a new group): the notifications table still knows them
    await db.query(`DELETE FROM inbox WHERE consumer_group LIKE 'notifications.%'`);
    await t.runtime.platform.publisher.publish(events);
    await t.runtime.modules.notifications.services.sendDue.execute();
    expect(await count()).toBe(before.notifications);
    expect(smtp.received.length).toBe(before.mails);
    const queued = await h.notifications('?status=queued');
    expect(queued.items).toEqual([]);
  });

  it('admin only, problem+json like the other admin routes', async () => {
    const customer = journey.customer ?? (await registerCustomer(t));
    expectProblem(
      await t.app.inject({ method: 'GET', url: '/api/v1/admin/notifications', headers: customer.auth }),
      403,
      'FORBIDDEN',
    );
    expectProblem(
      await t.app.inject({ method: 'GET', url: '/api/v1/admin/notifications' }),
      401,
      'UNAUTHENTICATED',
    );
    expectProblem(
      await t.app.inject({ method: 'GET', url: '/api/v1/admin/notifications?cursor=nope!', headers: admin }),
      400,
      'VALIDATION_FAILED',
    );
    expectProblem(
      await t.app.inject({
        method: 'GET',
        url: '/api/v1/admin/notifications/8e7d6c5b-4a39-4281-9f0e-1d2c3b4a5968',
        headers: admin,
      }),
      404,
      'NOT_FOUND',
    );
  });

  it('pages newest first with nextCursor', async () => {
    const first = await h.notifications('?limit=2');
    expect(first.items).toHaveLength(2);
    expect(first.nextCursor).toBeTruthy();
    const second = await h.notifications(`?limit=2&cursor=${first.nextCursor}`);
    expect(second.items[0]!.createdAt <= first.items[1]!.createdAt).toBe(true);
    expect(second.items.map((n) => n.id)).not.toContain(first.items[0]!.id);
  });

  it('SMTP gone for good: checkout still works, the notification is failed and visible; resent once the server is back', async () => {
    const port = smtp.port;
    await smtp.close();
    const sku = await h.product();
    const customer = await registerCustomer(t, 'Alan Turing');
    const order = await h.order(customer, sku); // 201: the shop does not wait for the mail
    const [failed] = (
      await pollUntil(
        () => h.notifications(`?orderId=${order.id}`),
        (p) => p.items[0]?.status === 'failed',
      )
    ).items;
    expect(failed).toMatchObject({
      template: 'order-confirmed',
      status: 'failed',
      attempts: 3,
      sentAt: null,
    });
    const detail = await h.notification(failed!.id);
    expect(detail.lastError).toMatch(/^SMTP /);
    expect(detail.lastError).not.toContain(SMTP_AUTH.pass);

    smtp = await startSmtpServer({ auth: SMTP_AUTH, port });
    const resent = await t.app.inject({
      method: 'POST',
      url: `/api/v1/admin/notifications/${failed!.id}/resend`,
      headers: admin,
    });
    expect(resent.statusCode, resent.body).toBe(200);
    expect(resent.json()).toMatchObject({ status: 'queued', attempts: 0 });
    await waitFor('the resent mail', async () => mailsTo(customer.email).length === 1);
    expect(mailsTo(customer.email)[0]!.mail.subject).toBe(`Your order ${order.number} is confirmed`);
    // the server has the mail a moment before the sender records it as sent
    const after = await pollUntil(
      () => h.notification(failed!.id),
      (n) => n.status === 'sent',
    );
    expect(after.status).toBe('sent');
    expectProblem(
      await t.app.inject({
        method: 'POST',
        url: `/api/v1/admin/notifications/${failed!.id}/resend`,
        headers: (await registerCustomer(t)).auth,
      }),
      403,
      'FORBIDDEN',
    );
  });

  it('never logs the SMTP password, nor the SMTP_URL that holds it', () => {
    expect(
      logs.some((l) => l.includes('could not be sent')),
      'the failures were logged',
    ).toBe(true);
    for (const secret of [SMTP_AUTH.pass, encodeURIComponent(SMTP_AUTH.pass), smtp.url]) {
      expect(logs.filter((l) => l.includes(secret))).toEqual([]);
    }
  });
});

describe.skipIf(missing('postgres'))('notifications without SMTP_URL: nothing leaves the machine', () => {
  let t: TestApp;
  let admin: Headers;
  let h: ReturnType<typeof journeyHelpers>;

  beforeAll(async () => {
    t = await startTestApp(
      { ADMIN_EMAIL: ADMIN.email, ADMIN_PASSWORD: ADMIN.password },
      { contexts: { notifications: FAST.notifications } },
    );
    admin = await loginAs(t, ADMIN);
    h = journeyHelpers(t, admin);
  });
  afterAll(async () => t?.close());

  it('keeps the confirmation email of the order just placed, for staff to read with its text and HTML', async () => {
    expect(t.runtime.modules.notifications.mailer).toBeInstanceOf(StoredMailer);
    const sku = await h.product();
    const customer = await registerCustomer(t, 'Ada Newcomer');
    const order = await h.order(customer, sku);
    const [listed] = (
      await pollUntil(
        () => h.notifications(),
        (p) => p.items.some((n) => n.orderId === order.id && n.status === 'sent'),
      )
    ).items.filter((n) => n.orderId === order.id);
    expect(listed).toMatchObject({
      template: 'order-confirmed',
      orderId: order.id,
      to: customer.email,
      subject: `Your order ${order.number} is confirmed`,
      status: 'sent',
      attempts: 1,
    });
    const mail = await h.notification(listed!.id);
    expect(mail.text).toContain(order.number);
    expect(mail.text).toContain('Hello Ada Newcomer,');
    expect(mail.html).toContain(`<strong>${order.number}</strong>`);
  });

  it('100 concurrent resends of one email on a pool of 10: each 200 or 409, never 5xx, and the mail queued or sent once more', async () => {
    const sku = await h.product();
    const order = await h.order(await registerCustomer(t, 'Resend Race'), sku);
    const sent = (
      await pollUntil(
        () => h.notifications(),
        (p) => p.items.some((n) => n.orderId === order.id && n.status === 'sent'),
      )
    ).items.find((n) => n.orderId === order.id && n.status === 'sent');
    expect(sent).toBeDefined();
    const answers = await Promise.all(
      Array.from({ length: 100 }, () =>
        t.app.inject({
          method: 'POST',
          url: `/api/v1/admin/notifications/${sent!.id}/resend`,
          headers: admin,
        }),
      ),
    );
    const statuses = answers.map((a) => a.statusCode);
    expect(statuses.filter((s) => s !== 200 && s !== 409)).toEqual([]);
    expect(statuses).toContain(200);
    // every 200 queued it from sent (the sender may send it between two of them); every 409 found it queued
    const after = await pollUntil(
      () => h.notification(sent!.id),
      (n) => n.status === 'sent',
    );
    expect(after.status).toBe('sent');
  });

  it('erasure anonymises the customer’s notifications, and nothing is sent to them afterwards', async () => {
    const sku = await h.product();
    const customer = await registerCustomer(t, 'Erased Person');
    const order = await h.order(customer, sku);
    const [confirmation] = (
      await pollUntil(
        () => h.notifications(`?orderId=${order.id}`),
        (p) => p.items[0]?.status === 'sent',
      )
    ).items;
    expect(confirmation).toMatchObject({ template: 'order-confirmed', to: customer.email });

    const erased = await t.app.inject({ method: 'DELETE', url: '/api/v1/me', headers: customer.auth });
    expect(erased.statusCode, erased.body).toBe(204);
    await waitFor(
      'the notification to be anonymised',
      async () => (await h.notification(confirmation!.id)).to === null,
    );
    expect(await h.notification(confirmation!.id)).toMatchObject({ status: 'sent', text: null, html: null });

    const stored = t.runtime.modules.notifications.mailer as StoredMailer;
    const mailsBefore = stored.mails.length;
    const cancelled = await t.app.inject({
      method: 'POST',
      url: `/api/v1/orders/${order.id}/cancel`,
      headers: admin,
    });
    expect(cancelled.statusCode, cancelled.body).toBe(200);
    const cancellation = (
      await pollUntil(
        () => h.notifications(`?orderId=${order.id}&status=failed`),
        (p) => p.items.length === 1,
      )
    ).items[0];
    expect(cancellation).toMatchObject({ template: 'order-cancelled', to: null, subject: null, attempts: 0 });
    expect((await h.notification(cancellation!.id)).lastError).toMatch(/^no recipient/);
    expect(stored.mails.slice(mailsBefore).map((m) => m.subject)).toEqual([]);
  });
});
