import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  givenAuthorized,
  givenCaptured,
  givenOpened,
  givenRefundRequested,
  paymentsTestKit,
  resetCounts,
} from '../../../test/support/in-memory/payments.repositories.js';
import { CancelPayment } from './cancel-payment.use-case.js';
import { RequestAuthorization } from './request-authorization.use-case.js';
import { RequestCapture } from './request-capture.use-case.js';
import { SettlePayment } from './settle-payment.use-case.js';

type Kit = ReturnType<typeof paymentsTestKit>;
const cancel = (kit: Kit, orderId: string) =>
  kit.uow.run(({ tx }) => new CancelPayment(kit.deps).execute(orderId, 'order cancelled', tx));
const requestCapture = (kit: Kit, orderId: string) =>
  kit.uow.run(({ tx }) => new RequestCapture(kit.deps, () => {}).execute(orderId, tx));

describe('SettlePayment', () => {
  it('a payment with nothing due is done without asking the provider', async () => {
    const kit = paymentsTestKit();
    const orderId = await givenAuthorized(kit);
    resetCounts(kit);
    expect(await new SettlePayment(kit.deps).execute(orderId)).toMatchObject({
      view: { status: 'AUTHORIZED' },
      done: true,
    });
    expect(Object.values(kit.fake.calls).every((n) => n === 0)).toBe(true);
  });

  it('an order without a payment is done, with no view', async () => {
    const kit = paymentsTestKit();
    expect(await new SettlePayment(kit.deps).execute(randomUUID())).toEqual({ view: null, done: true });
  });

  it('a capture asked for is made: CAPTURED, done', async () => {
    const kit = paymentsTestKit();
    const orderId = await givenAuthorized(kit);
    await requestCapture(kit, orderId);
    resetCounts(kit);
    expect(await new SettlePayment(kit.deps).execute(orderId)).toMatchObject({
      view: { status: 'CAPTURED' },
      done: true,
    });
    expect(kit.uow.eventTypes()).toEqual(['shopcore.payments.PaymentCaptured.v1']);
  });

  it('a capture that meets an unreachable provider stays due: PaymentCaptureFailed, a warning, not done', async () => {
    const kit = paymentsTestKit();
    const orderId = await givenAuthorized(kit);
    await requestCapture(kit, orderId);
    resetCounts(kit);
    kit.fake.setOutage(true);
    expect(await new SettlePayment(kit.deps).execute(orderId)).toMatchObject({
      view: { status: 'AUTHORIZED' },
      done: false,
    });
    expect(kit.uow.eventTypes()).toEqual(['shopcore.payments.PaymentCaptureFailed.v1']);
    expect(kit.logs.map((l) => l.level)).toEqual(['warn']);
    expect((await kit.repos.payments.of(orderId)).captureDue).toBe(true);
  });

  it('a cancelled authorization is voided once under <paymentId>:void: VOIDED with PaymentVoided of the authorized amount', async () => {
    const kit = paymentsTestKit();
    const orderId = await givenAuthorized(kit, { amount: 8_000 });
    await cancel(kit, orderId);
    resetCounts(kit);
    expect(await new SettlePayment(kit.deps).execute(orderId)).toMatchObject({
      view: { status: 'VOIDED' },
      done: true,
    });
    expect(await new SettlePayment(kit.deps).execute(orderId)).toMatchObject({ done: true });
    expect(kit.fake.calls.void).toBe(1);
    expect(kit.uow.eventTypes()).toEqual(['shopcore.payments.PaymentVoided.v1']);
    expect(kit.uow.events[0]?.data).toMatchObject({ amount: 8_000, reason: 'order cancelled' });
  });

  it('a payment cancelled while pending, never authorized at the provider, is closed as VOIDED of 0 after a lookup', async () => {
    const kit = paymentsTestKit();
    const orderId = await givenOpened(kit);
    await cancel(kit, orderId);
    resetCounts(kit);
    expect((await new SettlePayment(kit.deps).execute(orderId)).view?.status).toBe('VOIDED');
    expect([kit.fake.calls.lookup, kit.fake.calls.void]).toEqual([1, 0]);
    expect(kit.uow.events[0]?.data).toMatchObject({ amount: 0 });
  });

  it('a payment cancelled while pending that the provider did authorize is recorded, then voided', async () => {
    const kit = paymentsTestKit();
    const orderId = await givenOpened(kit);
    await new RequestAuthorization(kit.deps).execute(orderId); // authorized at the provider, never recorded
    await cancel(kit, orderId);
    resetCounts(kit);
    expect((await new SettlePayment(kit.deps).execute(orderId)).view?.status).toBe('VOIDED');
    expect(kit.fake.calls.void).toBe(1);
    expect(kit.uow.eventTypes()).toEqual([
      'shopcore.payments.PaymentAuthorized.v1',
      'shopcore.payments.PaymentVoided.v1',
    ]);
  });

  it('a cancelled capture is refunded in full: REFUNDED with PaymentRefunded, done', async () => {
    const kit = paymentsTestKit();
    const orderId = await givenCaptured(kit, { amount: 5_000 });
    await cancel(kit, orderId);
    resetCounts(kit);
    expect(await new SettlePayment(kit.deps).execute(orderId)).toMatchObject({
      view: { status: 'REFUNDED', refunded: { amount: 5_000 } },
      done: true,
    });
    expect(kit.uow.eventTypes()).toEqual(['shopcore.payments.PaymentRefunded.v1']);
  });

  it('a reserved refund that meets an unreachable provider stays reserved for the next attempt, then goes through', async () => {
    const kit = paymentsTestKit();
    const orderId = await givenCaptured(kit);
    await cancel(kit, orderId);
    kit.fake.setOutage(true);
    expect((await new SettlePayment(kit.deps).execute(orderId)).done).toBe(false);
    const payment = await kit.repos.payments.of(orderId);
    expect(payment.pendingRefunds).toHaveLength(1);
    expect(payment.refunded).toBe(0);
    kit.fake.setOutage(false);
    expect((await new SettlePayment(kit.deps).execute(orderId)).view?.status).toBe('REFUNDED');
    expect((await kit.repos.payments.of(orderId)).refunds).toHaveLength(1);
  });

  it('a cancelled capture whose refund the provider refuses releases it and stays due; the next attempt reserves a new refund of what remains', async () => {
    const kit = paymentsTestKit();
    const orderId = await givenCaptured(kit, { amount: 10_000 });
    await cancel(kit, orderId);
    const reference = (await kit.repos.payments.of(orderId)).providerRef ?? 'none';
    kit.fake.dashboardRefund(reference, 1); // the provider now refuses a refund of all 10 000
    expect((await new SettlePayment(kit.deps).execute(orderId)).done).toBe(false);
    const after = await kit.repos.payments.of(orderId);
    expect(after.refunds.map((r) => r.status)).toEqual(['released']);
    expect(after.status).toBe('VOID_PENDING');
    expect((await new SettlePayment(kit.deps).execute(orderId)).done).toBe(false);
    const again = await kit.repos.payments.of(orderId);
    expect(again.refunds.map((r) => [r.amount, r.status])).toEqual([
      [10_000, 'released'],
      [10_000, 'released'],
    ]);
  });

  it('a refund requested in a caller’s transaction (returns) is made under its id: PaymentRefunded naming it, done', async () => {
    const kit = paymentsTestKit();
    const orderId = await givenCaptured(kit, { amount: 10_000 });
    const refundId = randomUUID();
    await givenRefundRequested(kit, orderId, { refundId, amount: 3_000 });
    resetCounts(kit);
    expect(await new SettlePayment(kit.deps).execute(orderId)).toMatchObject({
      view: { status: 'PARTIALLY_REFUNDED', refunded: { amount: 3_000 } },
      done: true,
    });
    expect(kit.fake.operations.filter((o) => o.kind === 'refund')).toMatchObject([
      { idempotencyKey: refundId, outcome: 'refunded' },
    ]);
    expect(kit.uow.events.map((e) => e.data)).toMatchObject([{ amount: 3_000, refundId }]);
  });

  it('a requested refund stays reserved while the provider is unreachable; one the provider refuses is released, its reason in the ledger', async () => {
    const kit = paymentsTestKit();
    const orderId = await givenCaptured(kit, { amount: 10_000 });
    const refundId = randomUUID();
    await givenRefundRequested(kit, orderId, { refundId, amount: 10_000 });
    kit.fake.setOutage(true);
    expect((await new SettlePayment(kit.deps).execute(orderId)).done).toBe(false);
    expect((await kit.repos.payments.of(orderId)).refundById(refundId)?.status).toBe('pending');
    kit.fake.setOutage(false);
    kit.fake.dashboardRefund((await kit.repos.payments.of(orderId)).providerRef!, 1); // now 10 000 is too much
    resetCounts(kit);
    expect(await new SettlePayment(kit.deps).execute(orderId)).toMatchObject({
      view: { status: 'CAPTURED', refunded: { amount: 0 } },
      done: true,
    });
    const payment = await kit.repos.payments.of(orderId);
    expect(payment.refundById(refundId)?.status).toBe('released');
    expect(payment.refundable).toBe(10_000);
    expect(kit.repos.payments.ledger.filter((e) => e.idempotencyKey === refundId)).toMatchObject([
      { outcome: 'unavailable' },
      { outcome: 'rejected', reason: 'amount_exceeds_refundable' },
    ]);
    expect(kit.uow.events).toEqual([]);
    expect(kit.operations).toEqual(['refund:rejected']);
  });

  it('a void the provider refuses (captured on its side) stays due, recorded as rejected and logged as an error', async () => {
    const kit = paymentsTestKit();
    const orderId = await givenAuthorized(kit);
    kit.fake.dashboardCapture((await kit.repos.payments.of(orderId)).providerRef ?? 'none');
    await cancel(kit, orderId);
    resetCounts(kit);
    expect(await new SettlePayment(kit.deps).execute(orderId)).toMatchObject({
      view: { status: 'VOID_PENDING' },
      done: false,
    });
    expect(kit.repos.payments.ledger.at(-1)).toMatchObject({ kind: 'void', outcome: 'rejected' });
    expect(kit.operations).toEqual(['void:rejected']);
    expect(kit.logs.map((l) => l.level)).toEqual(['error']);
  });

  it('a void that meets an unreachable provider stays due, with an unavailable ledger row', async () => {
    const kit = paymentsTestKit();
    const orderId = await givenAuthorized(kit);
    await cancel(kit, orderId);
    kit.fake.setOutage(true);
    expect((await new SettlePayment(kit.deps).execute(orderId)).done).toBe(false);
    expect(kit.repos.payments.ledger.at(-1)).toMatchObject({ kind: 'void', outcome: 'unavailable' });
    expect((await kit.repos.payments.of(orderId)).status).toBe('VOID_PENDING');
  });
});
