import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  type InMemoryNotifications,
  inMemoryNotifications,
} from '../../../../test/support/in-memory/notifications.deps.js';
import { FulfilmentEventTypes } from '../../../fulfilment/contract.js';
import type { IntegrationEvent } from '../../../platform/messaging/integration-event.js';
import { ReturnEventTypes } from '../../../returns/contract.js';
import { EraseCustomerNotifications } from '../../application/erase-customer-notifications.use-case.js';
import { QueueNotification } from '../../application/queue-notification.use-case.js';
import { QueueRefundNotification } from '../../application/queue-refund-notification.use-case.js';
import { QueueShipmentNotification } from '../../application/queue-shipment-notification.use-case.js';
import { notificationsRegistrations } from './notifications.consumers.js';

const registrations = (f: InMemoryNotifications) =>
  notificationsRegistrations({
    queue: new QueueNotification(f.deps),
    queueShipment: new QueueShipmentNotification(f.deps),
    queueRefund: new QueueRefundNotification(f.deps),
    erase: new EraseCustomerNotifications(f.deps),
  });

const event = (context: string, type: string, data: Record<string, unknown>): IntegrationEvent => ({
  id: randomUUID(),
  context,
  type,
  source: `urn:shopcore:eu:${context}`,
  subject: String(data.returnId ?? data.shipmentId),
  time: '2026-03-01T10:00:00.000Z',
  data,
});

/** Hands the event to the group that reads its type, in a transaction, as the inbox would. */
const deliver = async (f: InMemoryNotifications, e: IntegrationEvent) => {
  const reg = registrations(f).find((r) => r.contexts.includes(e.context) && r.types?.includes(e.type));
  if (!reg) return null;
  await f.uow.run(({ tx }) => reg.handle(e, tx));
  return reg.group;
};

const rows = (f: InMemoryNotifications) => [...f.repos.notifications.rows.values()];

const returnData = (over: Record<string, unknown> = {}) => ({
  returnId: randomUUID(),
  orderId: randomUUID(),
  number: 'EU-000042-R1',
  ...over,
});

describe('the notifications consumers, returns', () => {
  it('ReturnApproved queues return-approved with the return’s number and lines, in group notifications.returns', async () => {
    const f = inMemoryNotifications();
    const data = returnData({
      lines: [
        { sku: 'MUG-1', quantity: 2 },
        { sku: 'CUP-9', quantity: 1 },
      ],
    });
    const e = event('returns', ReturnEventTypes.ReturnApproved, data);
    expect(await deliver(f, e)).toBe('notifications.returns');
    expect(rows(f)).toMatchObject([
      {
        eventId: e.id,
        template: 'return-approved',
        orderId: data.orderId,
        status: 'queued',
        facts: {
          returnNumber: 'EU-000042-R1',
          returnLines: [
            { sku: 'MUG-1', quantity: 2 },
            { sku: 'CUP-9', quantity: 1 },
          ],
        },
      },
    ]);
  });

  it('ReturnRefunded queues return-refunded with the return’s number and the amount', async () => {
    const f = inMemoryNotifications();
    const data = returnData({ refund: { amount: 1250, currency: 'EUR' } });
    await deliver(f, event('returns', ReturnEventTypes.ReturnRefunded, data));
    expect(rows(f)).toMatchObject([
      {
        template: 'return-refunded',
        orderId: data.orderId,
        facts: { returnNumber: 'EU-000042-R1', amount: 1250, currency: 'EUR' },
      },
    ]);
  });

  it('a refund of nothing (nothing left to refund) queues return-refunded without an amount', async () => {
    for (const refund of [{ refund: { amount: 0, currency: 'EUR' } }, {}]) {
      const f = inMemoryNotifications();
      await deliver(f, event('returns', ReturnEventTypes.ReturnRefunded, returnData(refund)));
      expect(rows(f).map((r) => [r.template, r.facts])).toEqual([
        ['return-refunded', { returnNumber: 'EU-000042-R1' }],
      ]);
    }
  });

  it('one notification per event however often it is redelivered', async () => {
    const f = inMemoryNotifications();
    const e = event(
      'returns',
      ReturnEventTypes.ReturnApproved,
      returnData({ lines: [{ sku: 'MUG-1', quantity: 1 }] }),
    );
    await deliver(f, e);
    await deliver(f, e);
    expect(rows(f)).toHaveLength(1);
  });

  it('ReturnExchanged, ReturnRequested and the other return events queue nothing', async () => {
    const f = inMemoryNotifications();
    const replacementOrderId = randomUUID();
    for (const type of [
      ReturnEventTypes.ReturnExchanged,
      ReturnEventTypes.ReturnRequested,
      ReturnEventTypes.ReturnRejected,
      ReturnEventTypes.ReturnCancelled,
      ReturnEventTypes.ReturnReceived,
    ]) {
      expect(
        await deliver(f, event('returns', type, returnData({ replacementOrderId, lines: [] }))),
      ).toBeNull();
    }
    expect(rows(f)).toEqual([]);
  });
});

describe('the notifications consumers, dispatch', () => {
  const dispatched = (orderId: string) =>
    event('fulfilment', FulfilmentEventTypes.ShipmentDispatched, {
      shipmentId: randomUUID(),
      orderId,
      warehouseId: randomUUID(),
      trackingNumber: 'TRK-9',
    });

  it('ShipmentDispatched of an ordinary order queues shipment-dispatched', async () => {
    const f = inMemoryNotifications();
    const orderId = randomUUID();
    expect(await deliver(f, dispatched(orderId))).toBe('notifications.shipments');
    expect(rows(f).map((r) => [r.template, r.facts])).toEqual([
      ['shipment-dispatched', { trackingNumber: 'TRK-9' }],
    ]);
    expect(f.originAsked.map((a) => a.orderId)).toEqual([orderId]);
  });

  it('ShipmentDispatched of an exchange’s replacement queues replacement-shipped instead, naming the return', async () => {
    const f = inMemoryNotifications();
    const replacementId = randomUUID();
    f.replacements.set(replacementId, {
      returnId: randomUUID(),
      number: 'EU-000042-R1',
      orderId: randomUUID(),
    });
    await deliver(f, dispatched(replacementId));
    expect(rows(f).map((r) => [r.template, r.orderId, r.facts])).toEqual([
      ['replacement-shipped', replacementId, { trackingNumber: 'TRK-9', returnNumber: 'EU-000042-R1' }],
    ]);
  });
});
