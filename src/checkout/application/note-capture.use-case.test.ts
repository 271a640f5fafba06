import { describe, expect, it } from 'vitest';
import { checkoutWorld } from '../../../test/support/in-memory/checkout.facades.js';
import { callerTx, placed } from '../../../test/support/in-memory/orders.deps.js';
import { PaymentEventTypes } from '../../payments/contract.js';
import type { IntegrationEvent } from '../../platform/messaging/integration-event.js';
import { NoteCapture } from './note-capture.use-case.js';

const paymentEvent = (type: string, orderId: string, reason?: string): IntegrationEvent =>
  ({
    id: '9f8e7d6c-5b4a-4392-8170-6f5e4d3c2b1a',
    context: 'payments',
    type,
    source: 'urn:shopcore:eu:payments',
    subject: orderId,
    time: '2026-03-01T10:15:00.000Z',
    data: {
      paymentId: '1b2c3d4e-5f6a-4b7c-8d9e-0f1a2b3c4d5e',
      orderId,
      amount: 2995,
      currency: 'EUR',
      ...(reason ? { reason } : {}),
    },
  }) as unknown as IntegrationEvent;

describe('NoteCapture', () => {
  it('notes a failed capture on the order, with its reason, as retried — without moving the order', async () => {
    const w = checkoutWorld();
    const orderId = await placed(w.orders, {}, ['PAYMENT_AUTHORIZED', 'CONFIRMED', 'SHIPPED']);
    await new NoteCapture(w.deps).execute(
      paymentEvent(PaymentEventTypes.PaymentCaptureFailed, orderId, 'provider_timeout'),
      callerTx(),
    );
    const order = await w.deps.orders.get(orderId);
    expect(order?.notes.map((n) => [n.text, n.actor])).toEqual([
      ['payment capture failed (provider_timeout); retrying', { kind: 'system' }],
    ]);
    expect(order?.status).toBe('SHIPPED');
    expect(order?.history.at(-1)?.status).toBe('SHIPPED');
  });

  it('says "unknown" when the failure gives no reason', async () => {
    const w = checkoutWorld();
    const orderId = await placed(w.orders);
    await new NoteCapture(w.deps).execute(
      paymentEvent(PaymentEventTypes.PaymentCaptureFailed, orderId),
      callerTx(),
    );
    expect((await w.deps.orders.get(orderId))?.notes[0]?.text).toBe(
      'payment capture failed (unknown); retrying',
    );
  });

  it('notes the capture made with its amount and currency', async () => {
    const w = checkoutWorld();
    const orderId = await placed(w.orders);
    await new NoteCapture(w.deps).execute(
      paymentEvent(PaymentEventTypes.PaymentCaptured, orderId),
      callerTx(),
    );
    expect((await w.deps.orders.get(orderId))?.notes.map((n) => n.text)).toEqual([
      'payment captured: 2995 EUR',
    ]);
  });

  it('leaves one note for a failure repeated while the provider stays down', async () => {
    const w = checkoutWorld();
    const orderId = await placed(w.orders);
    const note = new NoteCapture(w.deps);
    for (let i = 0; i < 3; i++)
      await note.execute(paymentEvent(PaymentEventTypes.PaymentCaptureFailed, orderId, 'down'), callerTx());
    expect((await w.deps.orders.get(orderId))?.notes).toHaveLength(1);
  });
});
