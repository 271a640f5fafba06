import { randomUUID } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OutgoingMail } from '../../src/notifications/application/mailer.port.js';
import type { NotificationTemplate } from '../../src/notifications/domain/notification.lifecycle.js';
import {
  createNotificationsServices,
  NOTIFICATIONS_ENTITIES,
  type NotificationsServices,
} from '../../src/notifications/notifications.plugin.js';
import type { OrderSnapshot } from '../../src/orders/contract.js';
import { ManualClock } from '../../src/platform/clock.js';
import { createDataSource } from '../../src/platform/db/data-source.js';
import { asHandle } from '../../src/platform/db/typeorm-unit-of-work.js';
import type { ReplacementOrigin } from '../../src/returns/contract.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { anOrder, RecordingMailer } from '../support/in-memory/notifications.deps.js';
import { missing } from '../support/skip.js';

/**
 * The notifications table through the services, against a real Postgres: one row per event and
 * template, the columns round-trip, two senders never send one notification twice (SKIP LOCKED and
 * the lease), erasure empties the personal columns, the listing pages newest first.
 */
describe.skipIf(missing('postgres'))('notifications repository (real Postgres)', () => {
  let db: TestDatabase;
  let ds: DataSource;
  let svc: NotificationsServices;
  const clock = new ManualClock('2026-03-01T12:00:00Z');
  const mailer = new RecordingMailer();
  const orders = new Map<string, OrderSnapshot>();
  const contacts = new Map<string, { email: string; name: string }>();
  const replacements = new Map<string, ReplacementOrigin>();

  beforeAll(async () => {
    db = await createTestDatabase();
    ds = createDataSource({
      url: db.url,
      poolSize: 6,
      entities: NOTIFICATIONS_ENTITIES,
      guard: { nested: 'error' },
    });
    await ds.initialize();
    svc = createNotificationsServices({
      dataSource: ds,
      clock,
      locales: ['en'],
      orders: { get: async (id) => orders.get(id) ?? null },
      identity: { customerContact: async (id) => contacts.get(id) ?? null },
      returns: {
        replacementOrigin: async (id) => replacements.get(id) ?? null,
        returnOfRefund: async () => null,
      },
      mailer,
      from: 'Shop <shop@example.com>',
      returnsAddress: 'Shop Returns, 1 Dock Road, 10115 Berlin',
      retry: { maxAttempts: 2, baseDelayMs: 1_000, maxDelayMs: 1_000 },
    });
  });
  afterAll(async () => {
    await ds?.destroy();
    await db?.drop();
  });

  const anyOrder = () => {
    const o = anOrder();
    orders.set(o.id, o);
    contacts.set(o.customerId!, { email: `${o.customerId}@example.com`, name: 'Ada' });
    return o;
  };
  const queue = (
    orderId: string,
    eventId = randomUUID(),
    template: NotificationTemplate = 'order-confirmed',
  ) =>
    ds.transaction((m) =>
      svc.queue.execute({ eventId, template, orderId, facts: { reason: 'x' } }, asHandle(m)),
    );
  const rows = (orderId: string) =>
    ds.query('SELECT * FROM notifications WHERE order_id = $1 ORDER BY created_at, id', [orderId]);

  it('keeps one notification per event and template, whatever the redeliveries (even concurrent ones)', async () => {
    const o = anyOrder();
    const eventId = randomUUID();
    const results = await Promise.all([queue(o.id, eventId), queue(o.id, eventId), queue(o.id, eventId)]);
    expect(results.filter(Boolean)).toHaveLength(1);
    expect(await rows(o.id)).toHaveLength(1);
  });

  it('round-trips every column through a send, and the listing and the one-mail view read them back', async () => {
    const o = anyOrder();
    await queue(o.id);
    await svc.sendDue.execute();
    const [row] = await rows(o.id);
    expect(row).toMatchObject({
      status: 'sent',
      attempts: 1,
      to_address: `${o.customerId}@example.com`,
      customer_id: o.customerId,
      subject: 'Your order EU-000042 is confirmed',
      facts: { reason: 'x' },
      next_attempt_at: null,
    });
    const view = await svc.get.execute(row.id);
    expect(view).toMatchObject({
      id: row.id,
      status: 'sent',
      sentAt: clock.now().toISOString(),
      locale: 'en',
    });
    expect(view.html).toContain('<strong>EU-000042</strong>');
    expect(
      (await svc.list.execute({ orderId: o.id, status: 'sent' }, 10, null)).items.map((n) => n.id),
    ).toEqual([row.id]);
  });

  it('takes the return emails: an approved return’s lines and a refund round-trip, a replacement’s dispatch is replacement-shipped', async () => {
    const o = anyOrder();
    const replacement = anyOrder();
    replacements.set(replacement.id, { returnId: randomUUID(), number: 'EU-000042-R1', orderId: o.id });
    const returnLines = [{ sku: 'MUG-1', quantity: 2 }];
    await ds.transaction(async (m) => {
      await svc.queue.execute(
        {
          eventId: randomUUID(),
          template: 'return-approved',
          orderId: o.id,
          facts: { returnNumber: 'EU-000042-R1', returnLines },
        },
        asHandle(m),
      );
      await svc.queue.execute(
        {
          eventId: randomUUID(),
          template: 'return-refunded',
          orderId: o.id,
          facts: { returnNumber: 'EU-000042-R1', amount: 1250, currency: 'EUR' },
        },
        asHandle(m),
      );
      await svc.queueShipment.execute(
        { eventId: randomUUID(), orderId: replacement.id, trackingNumber: 'TRK-9' },
        asHandle(m),
      );
    });
    await svc.sendDue.execute();
    expect(
      (await rows(o.id))
        .map((r: { template: string; status: string; facts: unknown }) => [r.template, r.status, r.facts])
        .sort((a: string[], b: string[]) => a[0]!.localeCompare(b[0]!)),
    ).toEqual([
      ['return-approved', 'sent', { returnNumber: 'EU-000042-R1', returnLines }],
      ['return-refunded', 'sent', { returnNumber: 'EU-000042-R1', amount: 1250, currency: 'EUR' }],
    ]);
    const [shipped] = await rows(replacement.id);
    expect(shipped).toMatchObject({
      template: 'replacement-shipped',
      status: 'sent',
      facts: { trackingNumber: 'TRK-9', returnNumber: 'EU-000042-R1' },
    });
    expect(shipped.text_body).toContain('TRK-9');
  });

  it('two senders at once send each due notification exactly once', async () => {
    const o = anyOrder();
    for (let i = 0; i < 6; i++) await queue(o.id);
    const original = mailer.send.bind(mailer);
    const sent: OutgoingMail[] = [];
    mailer.send = async (mail) => {
      await new Promise((resolve) => setImmediate(resolve));
      sent.push(mail);
      await original(mail);
    };
    try {
      await Promise.all([svc.sendDue.execute(), svc.sendDue.execute()]);
    } finally {
      mailer.send = original;
    }
    const mine = sent.filter(
      (m) => m.subject.includes('EU-000042') && m.to.address.startsWith(o.customerId!),
    );
    expect(mine).toHaveLength(6);
    expect(new Set(mine.map((m) => m.id)).size).toBe(6);
    expect((await rows(o.id)).map((r: { status: string }) => r.status)).toEqual(Array(6).fill('sent'));
  });

  it('erasure empties the address and the mail, and fails what is still being retried', async () => {
    const o = anyOrder();
    await queue(o.id);
    await svc.sendDue.execute();
    await queue(o.id, randomUUID(), 'order-cancelled');
    mailer.down = 'SMTP 451 later';
    clock.advance(1);
    try {
      await svc.sendDue.execute();
    } finally {
      mailer.down = null;
    }
    const erased = await ds.transaction((m) => svc.erase.execute(o.customerId!, asHandle(m)));
    expect(erased).toBe(2);
    for (const r of await rows(o.id)) {
      expect(r).toMatchObject({ to_address: null, text_body: null, html_body: null });
      expect(r.erased_at).not.toBeNull();
    }
    const statuses = (await rows(o.id)).map(
      (r: { template: string; status: string }) => `${r.template} ${r.status}`,
    );
    expect(statuses.sort()).toEqual(['order-cancelled failed', 'order-confirmed sent']);
  });

  it('pages newest first, every notification once', async () => {
    const o = anyOrder();
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) {
      await queue(o.id);
      clock.advance(1_000);
    }
    for (const r of await rows(o.id)) ids.push(r.id);
    const seen: string[] = [];
    let page = await svc.list.execute({ orderId: o.id }, 2, null);
    seen.push(...page.items.map((n) => n.id));
    while (page.next) {
      page = await svc.list.execute({ orderId: o.id }, 2, page.next);
      seen.push(...page.items.map((n) => n.id));
    }
    expect(seen).toEqual([...ids].reverse());
  });
});
