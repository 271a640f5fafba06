import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { anOrder, inMemoryNotifications } from '../../../test/support/in-memory/notifications.deps.js';
import { QueueShipmentNotification } from './queue-shipment-notification.use-case.js';
import { SendDueNotifications } from './send-due-notifications.use-case.js';

describe('QueueShipmentNotification', () => {
  it('queues the ordinary dispatch mail, with the tracking number, for an order that replaces nothing', async () => {
    const f = inMemoryNotifications();
    const orderId = randomUUID();
    const eventId = randomUUID();
    const queued = await f.uow.run(({ tx }) =>
      new QueueShipmentNotification(f.deps).execute({ eventId, orderId, trackingNumber: 'TRK-1' }, tx),
    );
    expect(queued).toBe(true);
    expect([...f.repos.notifications.rows.values()]).toMatchObject([
      { eventId, orderId, template: 'shipment-dispatched', facts: { trackingNumber: 'TRK-1' } },
    ]);
  });

  it('queues replacement-shipped instead, with the tracking number and the return’s number, for an exchange’s replacement — asked on the consumer’s transaction', async () => {
    const f = inMemoryNotifications();
    const replacementId = randomUUID();
    f.replacements.set(replacementId, {
      returnId: randomUUID(),
      number: 'EU-000042-R1',
      orderId: randomUUID(),
    });
    let consumerTx: unknown;
    await f.uow.run(({ tx }) => {
      consumerTx = tx;
      return new QueueShipmentNotification(f.deps).execute(
        { eventId: randomUUID(), orderId: replacementId, trackingNumber: 'TRK-9' },
        tx,
      );
    });
    expect(f.originAsked).toEqual([{ orderId: replacementId, tx: consumerTx }]);
    const rows = [...f.repos.notifications.rows.values()];
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({
      template: 'replacement-shipped',
      orderId: replacementId,
      facts: { trackingNumber: 'TRK-9', returnNumber: 'EU-000042-R1' },
      status: 'queued',
    });
  });

  it('queues one mail per event, however often it is delivered', async () => {
    const f = inMemoryNotifications();
    const replacementId = randomUUID();
    f.replacements.set(replacementId, {
      returnId: randomUUID(),
      number: 'EU-000042-R1',
      orderId: randomUUID(),
    });
    const use = new QueueShipmentNotification(f.deps);
    const shipment = { eventId: randomUUID(), orderId: replacementId, trackingNumber: 'TRK-9' };
    const results = [];
    for (let i = 0; i < 3; i++) results.push(await f.uow.run(({ tx }) => use.execute(shipment, tx)));
    expect(results).toEqual([true, false, false]);
    expect(f.repos.notifications.rows.size).toBe(1);
  });

  it('a dispatch without a tracking number queues the mail without one', async () => {
    const f = inMemoryNotifications();
    await f.uow.run(({ tx }) =>
      new QueueShipmentNotification(f.deps).execute({ eventId: randomUUID(), orderId: randomUUID() }, tx),
    );
    expect([...f.repos.notifications.rows.values()][0]!.facts).toEqual({});
  });

  it('the replacement’s mail goes to the replacement order’s recipient as they are now, naming the return and the tracking number', async () => {
    const f = inMemoryNotifications();
    const replacement = anOrder({ number: 'EU-000050' });
    f.orders.set(replacement.id, replacement);
    f.contacts.set(replacement.customerId!, { email: 'ada.now@example.com', name: 'Ada' });
    f.replacements.set(replacement.id, {
      returnId: randomUUID(),
      number: 'EU-000042-R1',
      orderId: randomUUID(),
    });
    await f.uow.run(({ tx }) =>
      new QueueShipmentNotification(f.deps).execute(
        { eventId: randomUUID(), orderId: replacement.id, trackingNumber: 'TRK-9' },
        tx,
      ),
    );
    await new SendDueNotifications(f.deps).execute();
    expect(f.mailer.sent).toHaveLength(1);
    const [mail] = f.mailer.sent;
    expect(mail!.to.address).toBe('ada.now@example.com');
    expect(mail!.subject).toContain('EU-000042-R1');
    for (const part of [mail!.text, mail!.html]) {
      expect(part).toContain('EU-000042-R1');
      expect(part).toContain('TRK-9');
    }
  });
});
