import { randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { createServer, type Server } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NodemailerMailer, smtpSettings } from '../../src/notifications/adapters/mail/nodemailer.mailer.js';
import { MailerError, type OutgoingMail } from '../../src/notifications/application/mailer.port.js';
import { QueueNotification } from '../../src/notifications/application/queue-notification.use-case.js';
import { SendDueNotifications } from '../../src/notifications/application/send-due-notifications.use-case.js';
import { anOrder, inMemoryNotifications } from '../support/in-memory/notifications.deps.js';
import { startSmtpServer, type TestSmtpServer } from '../support/smtp.js';

const PASSWORD = 'S3cret-smtp-p@ss:word';

const aMail = (over: Partial<OutgoingMail> = {}): OutgoingMail => ({
  id: randomUUID(),
  from: 'Shop <shop@example.com>',
  to: { address: 'ada@example.com', name: 'Ada Lovelace' },
  subject: 'Your order EU-000042 is confirmed',
  text: 'Hello Ada,\n\nthank you for your order EU-000042.\n',
  html: '<p>Hello Ada,</p><p>thank you for your order <strong>EU-000042</strong>.</p>',
  ...over,
});

describe('NodemailerMailer against a real SMTP server', () => {
  let open: TestSmtpServer;
  let authed: TestSmtpServer;

  beforeAll(async () => {
    open = await startSmtpServer();
    authed = await startSmtpServer({ auth: { user: 'shop-mailer', pass: PASSWORD } });
  });
  afterAll(async () => {
    await open.close();
    await authed.close();
  });

  it('delivers the mail: from, to, subject, text and HTML as given', async () => {
    const mailer = new NodemailerMailer(smtpSettings(open.url));
    const mail = aMail();
    await mailer.send(mail);
    await mailer.close();
    const got = open.received.at(-1)!;
    expect(got.rcptTo).toEqual(['ada@example.com']);
    expect(got.mail.subject).toBe(mail.subject);
    expect(got.mail.from?.value).toEqual([{ address: 'shop@example.com', name: 'Shop' }]);
    const to = Array.isArray(got.mail.to) ? got.mail.to[0] : got.mail.to;
    expect(to?.value).toEqual([{ address: 'ada@example.com', name: 'Ada Lovelace' }]);
    expect(got.mail.text).toBe(mail.text);
    expect(got.mail.html).toBe(mail.html);
    expect(got.mail.messageId).toBe(`<${mail.id}@127.0.0.1>`);
  });

  it('authenticates with the user and password of SMTP_URL', async () => {
    const mailer = new NodemailerMailer(smtpSettings(authed.url));
    await mailer.send(aMail({ subject: 'authenticated' }));
    expect(authed.received.at(-1)).toMatchObject({ user: 'shop-mailer' });
    expect(authed.received.at(-1)!.mail.subject).toBe('authenticated');
  });

  it('a wrong password is a MailerError that never contains the password', async () => {
    const wrong = 'Wr0ng-smtp-p@ssword';
    const url = `smtp://shop-mailer:${encodeURIComponent(wrong)}@127.0.0.1:${authed.port}`;
    const err = await new NodemailerMailer(smtpSettings(url)).send(aMail()).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(MailerError);
    const message = (err as MailerError).message;
    expect(message).toMatch(/^SMTP EAUTH 535/);
    for (const secret of [wrong, encodeURIComponent(wrong), Buffer.from(wrong).toString('base64')]) {
      expect(message).not.toContain(secret);
      expect(JSON.stringify(err)).not.toContain(secret);
    }
  });

  it('a server that refuses (451) is a MailerError naming the reply', async () => {
    open.refuseNext(1);
    const err = await new NodemailerMailer(smtpSettings(open.url)).send(aMail()).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(MailerError);
    expect((err as MailerError).message).toMatch(/451/);
  });

  it('a refused recipient (550) is a MailerError that does not repeat the address', async () => {
    const err = await new NodemailerMailer(smtpSettings(open.url))
      .send(aMail({ to: { address: 'unknown.ada@example.com', name: null } }))
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(MailerError);
    expect((err as MailerError).message).toMatch(/550/);
    expect((err as MailerError).message).toContain('[address]');
    expect((err as MailerError).message).not.toContain('ada@example.com');
  });

  it('a server that is not there is a MailerError, quickly', async () => {
    const closed: Server = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const err = await new NodemailerMailer(smtpSettings(`smtp://127.0.0.1:${port}`, 2_000))
      .send(aMail())
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(MailerError);
    expect((err as MailerError).message).toMatch(/ECONNREFUSED|ESOCKET|ECONNECTION/);
  });

  it('through the sender: refused twice (4xx), retried with backoff, then delivered once', async () => {
    const f = inMemoryNotifications({
      mailer: new NodemailerMailer(smtpSettings(authed.url)),
      retry: { maxAttempts: 5, baseDelayMs: 1_000, maxDelayMs: 60_000 },
    });
    const order = anOrder();
    f.orders.set(order.id, order);
    f.contacts.set(order.customerId!, { email: 'ada.retry@example.com', name: 'Ada' });
    await f.uow.run(({ tx }) =>
      new QueueNotification(f.deps).execute(
        {
          eventId: randomUUID(),
          template: 'shipment-dispatched',
          orderId: order.id,
          facts: { trackingNumber: 'TRK-9' },
        },
        tx,
      ),
    );
    const id = [...f.repos.notifications.rows.keys()][0]!;
    const before = authed.received.length;
    authed.refuseNext(2);
    const send = new SendDueNotifications(f.deps);
    expect(await send.execute()).toEqual({ sent: 0, retried: 1, failed: 0 });
    expect(f.repos.notifications.rows.get(id)!.lastError).toMatch(/451/);
    f.clock.advance(1_000);
    expect(await send.execute()).toEqual({ sent: 0, retried: 1, failed: 0 });
    f.clock.advance(1_999);
    expect(await send.execute()).toEqual({ sent: 0, retried: 0, failed: 0 }); // backoff: 2 s now
    f.clock.advance(1);
    expect(await send.execute()).toEqual({ sent: 1, retried: 0, failed: 0 });
    expect(f.repos.notifications.rows.get(id)).toMatchObject({
      status: 'sent',
      attempts: 3,
      lastError: null,
    });
    const delivered = authed.received.slice(before);
    expect(delivered).toHaveLength(1);
    expect(delivered[0]!.rcptTo).toEqual(['ada.retry@example.com']);
    expect(delivered[0]!.mail.subject).toBe('Your order EU-000042 is on its way');
    expect(delivered[0]!.mail.text).toContain('TRK-9');
    expect(delivered[0]!.mail.html).toContain('<strong>TRK-9</strong>');
  });
});
