import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  givenAuthorized,
  givenCaptured,
  givenOpened,
  paymentsTestKit,
  resetCounts,
} from '../../../test/support/in-memory/payments.repositories.js';
import {
  ConflictError,
  IllegalStateTransitionError,
  NotFoundError,
  UnavailableError,
} from '../../platform/errors.js';
import { CapturePayment } from './capture-payment.use-case.js';

describe('CapturePayment', () => {
  it('captures the authorized amount at the provider under <paymentId>:capture: CAPTURED, a ledger row, PaymentCaptured', async () => {
    const kit = paymentsTestKit();
    const orderId = await givenAuthorized(kit, { amount: 7_500 });
    resetCounts(kit);
    const view = await new CapturePayment(kit.deps).execute(orderId);
    expect(view).toMatchObject({ status: 'CAPTURED', captured: { amount: 7_500, currency: 'EUR' } });
    const payment = await kit.repos.payments.of(orderId);
    expect(kit.repos.payments.ledger.filter((e) => e.kind === 'capture')).toMatchObject([
      { idempotencyKey: `${payment.id}:capture`, amount: 7_500, outcome: 'succeeded' },
    ]);
    expect(kit.uow.eventTypes()).toEqual(['shopcore.payments.PaymentCaptured.v1']);
    expect(kit.operations).toEqual(['capture:succeeded']);
  });

  it('never captures twice: a captured payment is returned as it is, without asking the provider', async () => {
    const kit = paymentsTestKit();
    const orderId = await givenCaptured(kit);
    resetCounts(kit);
    const view = await new CapturePayment(kit.deps).execute(orderId);
    expect(view.status).toBe('CAPTURED');
    expect(kit.fake.calls.capture).toBe(0);
    expect(kit.uow.events).toEqual([]);
  });

  it('an unreachable provider is 503: PaymentCaptureFailed recorded, the payment stays AUTHORIZED', async () => {
    const kit = paymentsTestKit();
    const orderId = await givenAuthorized(kit);
    resetCounts(kit);
    kit.fake.setOutage(true);
    await expect(new CapturePayment(kit.deps).execute(orderId)).rejects.toThrow(UnavailableError);
    expect((await kit.repos.payments.of(orderId)).status).toBe('AUTHORIZED');
    expect(kit.uow.eventTypes()).toEqual(['shopcore.payments.PaymentCaptureFailed.v1']);
    expect(kit.repos.payments.ledger.at(-1)).toMatchObject({ kind: 'capture', outcome: 'unavailable' });
  });

  it('a capture the provider refuses (voided on its side) is 409 CONFLICT, recorded as rejected', async () => {
    const kit = paymentsTestKit();
    const orderId = await givenAuthorized(kit);
    const reference = (await kit.repos.payments.of(orderId)).providerRef;
    kit.fake.dashboardVoid(reference ?? 'none');
    resetCounts(kit);
    await expect(new CapturePayment(kit.deps).execute(orderId)).rejects.toThrow(ConflictError);
    expect(kit.operations).toEqual(['capture:rejected']);
    expect(kit.repos.payments.ledger.at(-1)).toMatchObject({ kind: 'capture', outcome: 'rejected' });
    expect((await kit.repos.payments.of(orderId)).captured).toBe(0);
  });

  it('a payment that is not authorized has nothing to capture: 409 ILLEGAL_STATE_TRANSITION, no provider call', async () => {
    const kit = paymentsTestKit();
    const orderId = await givenOpened(kit);
    await expect(new CapturePayment(kit.deps).execute(orderId)).rejects.toThrow(IllegalStateTransitionError);
    expect(kit.fake.calls.capture).toBe(0);
  });

  it('an order without a payment is 404', async () => {
    const kit = paymentsTestKit();
    await expect(new CapturePayment(kit.deps).execute(randomUUID())).rejects.toThrow(NotFoundError);
  });
});
