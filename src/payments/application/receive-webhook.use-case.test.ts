import { describe, expect, it } from 'vitest';
import {
  givenAuthorized,
  givenCaptured,
  givenOpened,
  paymentsTestKit,
  resetCounts,
  type SignedWebhook,
} from '../../../test/support/in-memory/payments.repositories.js';
import { UnavailableError } from '../../platform/errors.js';
import { ReceiveWebhook } from './receive-webhook.use-case.js';
import { RefundPayment } from './refund-payment.use-case.js';
import { VerifyWebhook } from './verify-webhook.use-case.js';

type Kit = ReturnType<typeof paymentsTestKit>;

/** What the route does: the signature checked first, then the event applied. */
const deliver = (kit: Kit, signed: SignedWebhook) => {
  const event = new VerifyWebhook(kit.deps).execute('fake', Buffer.from(signed.body), signed.headers);
  return new ReceiveWebhook(kit.deps).execute('fake', event);
};
const referenceOf = async (kit: Kit, orderId: string) =>
  (await kit.repos.payments.of(orderId)).providerRef ?? 'none';

describe('ReceiveWebhook', () => {
  it('a capture made on the provider’s side is applied once: CAPTURED with PaymentCaptured; the same event again is a duplicate', async () => {
    const kit = paymentsTestKit();
    const orderId = await givenAuthorized(kit);
    const signed = kit.fake.dashboardCapture(await referenceOf(kit, orderId));
    resetCounts(kit);
    expect(await deliver(kit, signed)).toBe('applied');
    expect(await deliver(kit, signed)).toBe('duplicate');
    const payment = await kit.repos.payments.of(orderId);
    expect([payment.status, payment.captured]).toEqual(['CAPTURED', 10_000]);
    expect(kit.uow.eventTypes()).toEqual(['shopcore.payments.PaymentCaptured.v1']);
    expect(kit.repos.payments.ledger.at(-1)).toMatchObject({
      kind: 'capture',
      idempotencyKey: `webhook:${signed.event.id}`,
      source: 'provider',
    });
    expect(kit.repos.webhooks.events.get(`fake:${signed.event.id}`)).toMatchObject({
      type: 'payment.captured',
      outcome: 'applied',
      paymentId: payment.id,
    });
    expect(kit.webhooks).toEqual(['fake:applied', 'fake:duplicate']);
  });

  it('a refund of ours announced after it was recorded changes nothing: it counts once', async () => {
    const kit = paymentsTestKit();
    const orderId = await givenCaptured(kit);
    await new RefundPayment(kit.deps).execute(orderId, { amount: 3_000, reason: 'damaged' });
    const refund = (await kit.repos.payments.of(orderId)).refunds[0];
    const announced = kit.fake.announceRefund(refund?.providerRef ?? 'none');
    resetCounts(kit);
    expect(await deliver(kit, announced)).toBe('ignored');
    const payment = await kit.repos.payments.of(orderId);
    expect([payment.refunded, payment.refunds.length]).toEqual([3_000, 1]);
    expect(kit.uow.events).toEqual([]);
  });

  it('a refund of ours whose answer was lost (released, 503) is completed by its announcement, which names our refund id', async () => {
    const kit = paymentsTestKit();
    const orderId = await givenCaptured(kit, { amount: 10_000 });
    kit.fake.failNext(1, 'lost_response', 'refund');
    await expect(
      new RefundPayment(kit.deps).execute(orderId, { amount: 3_000, reason: 'damaged' }),
    ).rejects.toThrow(UnavailableError);
    const released = (await kit.repos.payments.of(orderId)).refunds[0];
    expect(released?.status).toBe('released');
    const made = kit.fake.operations.find((o) => o.kind === 'refund' && o.outcome === 'refunded');
    resetCounts(kit);
    expect(await deliver(kit, kit.fake.announceRefund(made?.reference ?? 'none'))).toBe('applied');
    const payment = await kit.repos.payments.of(orderId);
    expect(payment.refunds).toMatchObject([{ id: released?.id, status: 'succeeded', amount: 3_000 }]);
    expect([payment.status, payment.refunded]).toEqual(['PARTIALLY_REFUNDED', 3_000]);
    expect(kit.uow.eventTypes()).toEqual(['shopcore.payments.PaymentRefunded.v1']);
  });

  it('a refund made on the provider’s side is recorded as the provider’s, within what was captured', async () => {
    const kit = paymentsTestKit();
    const orderId = await givenCaptured(kit, { amount: 10_000 });
    const signed = kit.fake.dashboardRefund(await referenceOf(kit, orderId), 4_000, 'goodwill');
    resetCounts(kit);
    expect(await deliver(kit, signed)).toBe('applied');
    const payment = await kit.repos.payments.of(orderId);
    expect([payment.status, payment.refunded]).toEqual(['PARTIALLY_REFUNDED', 4_000]);
    expect(payment.refunds).toMatchObject([
      { amount: 4_000, origin: 'provider', status: 'succeeded', reason: 'goodwill' },
    ]);
    expect(kit.uow.eventTypes()).toEqual(['shopcore.payments.PaymentRefunded.v1']);
  });

  it('a void made on the provider’s side voids an authorized payment with PaymentVoided', async () => {
    const kit = paymentsTestKit();
    const orderId = await givenAuthorized(kit);
    const signed = kit.fake.dashboardVoid(await referenceOf(kit, orderId));
    resetCounts(kit);
    expect(await deliver(kit, signed)).toBe('applied');
    expect((await kit.repos.payments.of(orderId)).status).toBe('VOIDED');
    expect(kit.uow.eventTypes()).toEqual(['shopcore.payments.PaymentVoided.v1']);
  });

  it('an event for an authorization this region does not know is ignored, and recorded as such', async () => {
    const kit = paymentsTestKit();
    const other = paymentsTestKit();
    const orderId = await givenAuthorized(other);
    const signed = other.fake.dashboardVoid(await referenceOf(other, orderId));
    const foreign = kit.fake.signWebhook(signed.event);
    expect(await deliver(kit, foreign)).toBe('ignored');
    expect(kit.repos.webhooks.events.get(`fake:${signed.event.id}`)).toMatchObject({
      outcome: 'ignored',
      paymentId: null,
    });
  });

  it('an event of a type it does not act on is acknowledged as ignored', async () => {
    const kit = paymentsTestKit();
    const signed = kit.fake.signWebhook({
      id: 'evt_other_1',
      type: 'payment.disputed',
      created: kit.clock.now().toISOString(),
      data: {},
    });
    expect(await deliver(kit, signed)).toBe('ignored');
    expect(kit.repos.webhooks.events.get('fake:evt_other_1')).toMatchObject({ type: 'payment.disputed' });
  });

  it('news that does not fit the payment (a void of a captured one) is ignored and logged as an error; the payment is unchanged', async () => {
    const kit = paymentsTestKit();
    const orderId = await givenCaptured(kit);
    const signed = kit.fake.signWebhook({
      id: 'evt_void_late',
      type: 'payment.voided',
      created: kit.clock.now().toISOString(),
      data: { reference: await referenceOf(kit, orderId) },
    });
    resetCounts(kit);
    expect(await deliver(kit, signed)).toBe('ignored');
    expect((await kit.repos.payments.of(orderId)).status).toBe('CAPTURED');
    expect(kit.logs.map((l) => l.level)).toEqual(['error']);
    expect(kit.uow.events).toEqual([]);
  });

  it('an authorization that waited for the customer (3-D Secure) went on: the pending payment is found by our id, its order handed to checkout once', async () => {
    const kit = paymentsTestKit();
    const completed: string[] = [];
    kit.deps.authorizationChanged = async (orderId) => {
      completed.push(orderId);
    };
    const orderId = await givenOpened(kit);
    const payment = await kit.repos.payments.of(orderId);
    const event = {
      id: 'evt_3ds_1',
      type: 'payment.authorization_changed' as const,
      reference: 'pi_1',
      paymentId: payment.id,
    };
    resetCounts(kit);
    const receive = new ReceiveWebhook(kit.deps);
    expect(await receive.execute('fake', event)).toBe('applied');
    expect(await receive.execute('fake', event)).toBe('duplicate');
    expect(completed).toEqual([orderId]);
    // the payment itself is left to checkout (it asks the provider again): nothing recorded here
    expect((await kit.repos.payments.of(orderId)).status).toBe('PENDING');
    expect(kit.uow.events).toEqual([]);
    // once authorized, the same news changes nothing
    const later = await givenAuthorized(kit);
    const authorized = await kit.repos.payments.of(later);
    expect(
      await receive.execute('fake', {
        id: 'evt_3ds_2',
        type: 'payment.authorization_changed',
        reference: authorized.providerRef ?? 'none',
        paymentId: authorized.id,
      }),
    ).toBe('ignored');
    expect(completed).toEqual([orderId]);
  });

  it('a checkout that cannot be completed after the webhook is left to the pending-payment worker: still 200 applied, a warning', async () => {
    const kit = paymentsTestKit();
    kit.deps.authorizationChanged = async () => {
      throw new Error('database away');
    };
    const orderId = await givenOpened(kit);
    const payment = await kit.repos.payments.of(orderId);
    resetCounts(kit);
    expect(
      await new ReceiveWebhook(kit.deps).execute('fake', {
        id: 'evt_3ds_3',
        type: 'payment.voided',
        reference: 'pi_9',
        paymentId: payment.id,
      }),
    ).toBe('applied');
    expect(kit.logs.map((l) => l.level)).toEqual(['warn']);
  });

  it('a dispute (chargeback) moves nothing: a note on the order in the same transaction, counted, an error for ops; once per event', async () => {
    const kit = paymentsTestKit();
    const notes: string[] = [];
    const disputes: string[] = [];
    kit.deps.noteOrder = async (orderId, text) => {
      notes.push(`${orderId} ${text}`);
    };
    kit.deps.metrics.dispute = (provider) => disputes.push(provider);
    const orderId = await givenCaptured(kit);
    const event = {
      id: 'evt_dispute_1',
      type: 'payment.disputed' as const,
      reference: await referenceOf(kit, orderId),
      disputeReference: 'dp_1',
      amount: 10_000,
      currency: 'eur',
      reason: 'fraudulent',
    };
    resetCounts(kit);
    const receive = new ReceiveWebhook(kit.deps);
    expect(await receive.execute('fake', event)).toBe('applied');
    expect(await receive.execute('fake', event)).toBe('duplicate');
    expect(notes).toEqual([`${orderId} payment disputed at fake: 10000 EUR (fraudulent), dispute dp_1`]);
    expect(disputes).toEqual(['fake']);
    expect(kit.logs.map((l) => l.level)).toEqual(['error']);
    expect((await kit.repos.payments.of(orderId)).status).toBe('CAPTURED');
    expect(kit.uow.events).toEqual([]);
  });
});
