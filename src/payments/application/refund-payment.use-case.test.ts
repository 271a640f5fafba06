import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  givenAuthorized,
  givenCaptured,
  paymentsTestKit,
  resetCounts,
} from '../../../test/support/in-memory/payments.repositories.js';
import { ConflictError, NotFoundError, UnavailableError, ValidationError } from '../../platform/errors.js';
import { NothingToRefundError, RefundExceedsRefundableError } from '../domain/payments.errors.js';
import { MAX_REFUND_REASON_LENGTH } from '../domain/refund.entity.js';
import { RefundPayment } from './refund-payment.use-case.js';

describe('RefundPayment', () => {
  it('refunds part of what was captured: PARTIALLY_REFUNDED, PaymentRefunded, the provider asked with the refund’s id as key', async () => {
    const kit = paymentsTestKit();
    const orderId = await givenCaptured(kit, { amount: 10_000 });
    resetCounts(kit);
    const view = await new RefundPayment(kit.deps).execute(orderId, { amount: 2_500, reason: ' damaged ' });
    expect(view).toMatchObject({
      status: 'PARTIALLY_REFUNDED',
      refunded: { amount: 2_500, currency: 'EUR' },
    });
    const payment = await kit.repos.payments.of(orderId);
    const [refund] = payment.refunds;
    expect(refund).toMatchObject({
      amount: 2_500,
      reason: 'damaged',
      status: 'succeeded',
      origin: 'shopcore',
    });
    expect(kit.fake.operations.filter((o) => o.kind === 'refund')).toMatchObject([
      { idempotencyKey: refund?.id, amount: 2_500, outcome: 'refunded' },
    ]);
    expect(kit.uow.eventTypes()).toEqual(['shopcore.payments.PaymentRefunded.v1']);
    expect(kit.uow.events[0]?.data).toMatchObject({ amount: 2_500, reason: 'damaged' });
  });

  it('a refund without an amount refunds all that remains: REFUNDED', async () => {
    const kit = paymentsTestKit();
    const orderId = await givenCaptured(kit, { amount: 10_000 });
    await new RefundPayment(kit.deps).execute(orderId, { amount: 4_000, reason: 'one item' });
    const view = await new RefundPayment(kit.deps).execute(orderId, { reason: 'the rest' });
    expect(view).toMatchObject({ status: 'REFUNDED', refunded: { amount: 10_000 } });
    expect((await kit.repos.payments.of(orderId)).refunds.map((r) => r.amount)).toEqual([4_000, 6_000]);
  });

  it('a refund above captured minus refunded is refused with 409 before the provider is asked', async () => {
    const kit = paymentsTestKit();
    const orderId = await givenCaptured(kit, { amount: 10_000 });
    await new RefundPayment(kit.deps).execute(orderId, { amount: 6_000, reason: 'most of it' });
    resetCounts(kit);
    const refused = new RefundPayment(kit.deps).execute(orderId, { amount: 4_001, reason: 'too much' });
    await expect(refused).rejects.toThrow(RefundExceedsRefundableError);
    await expect(refused).rejects.toThrow(ConflictError);
    expect(kit.fake.calls.refund).toBe(0);
    expect((await kit.repos.payments.of(orderId)).refunded).toBe(6_000);
  });

  it('everything refunded: a refund of “the rest” is refused with NothingToRefund (409)', async () => {
    const kit = paymentsTestKit();
    const orderId = await givenCaptured(kit);
    await new RefundPayment(kit.deps).execute(orderId, { reason: 'all' });
    await expect(new RefundPayment(kit.deps).execute(orderId, { reason: 'again' })).rejects.toThrow(
      NothingToRefundError,
    );
  });

  it('a payment with nothing captured has nothing to refund (409), and the provider is not asked', async () => {
    const kit = paymentsTestKit();
    const orderId = await givenAuthorized(kit);
    await expect(new RefundPayment(kit.deps).execute(orderId, { amount: 1, reason: 'x' })).rejects.toThrow(
      NothingToRefundError,
    );
    expect(kit.fake.calls.refund).toBe(0);
  });

  it('a reason that is blank or longer than 500 characters, or an amount that is not positive minor units, is refused (400)', async () => {
    const kit = paymentsTestKit();
    const orderId = await givenCaptured(kit);
    const refund = new RefundPayment(kit.deps);
    await expect(refund.execute(orderId, { amount: 1, reason: '  ' })).rejects.toMatchObject({
      errors: [{ path: 'reason' }],
    });
    await expect(
      refund.execute(orderId, { amount: 1, reason: 'x'.repeat(MAX_REFUND_REASON_LENGTH + 1) }),
    ).rejects.toThrow(ValidationError);
    await expect(refund.execute(orderId, { amount: 0, reason: 'zero' })).rejects.toThrow(ValidationError);
    expect(
      await refund.execute(orderId, { amount: 1, reason: 'x'.repeat(MAX_REFUND_REASON_LENGTH) }),
    ).toMatchObject({
      refunded: { amount: 1 },
    });
  });

  it('an unreachable provider is 503 and releases the reservation: nothing refunded, everything still refundable', async () => {
    const kit = paymentsTestKit();
    const orderId = await givenCaptured(kit, { amount: 10_000 });
    kit.fake.setOutage(true);
    await expect(
      new RefundPayment(kit.deps).execute(orderId, { amount: 3_000, reason: 'x' }),
    ).rejects.toThrow(UnavailableError);
    const payment = await kit.repos.payments.of(orderId);
    expect([payment.status, payment.refunded, payment.refundable]).toEqual(['CAPTURED', 0, 10_000]);
    expect(payment.refunds.map((r) => r.status)).toEqual(['released']);
    expect(kit.repos.payments.ledger.at(-1)).toMatchObject({ kind: 'refund', outcome: 'unavailable' });
  });

  it('a refund the provider refuses is 409 and releases the reservation', async () => {
    const kit = paymentsTestKit();
    const orderId = await givenCaptured(kit, { amount: 10_000 });
    // refunded on the provider's side, not yet announced: the provider refuses a refund of all of it
    kit.fake.dashboardRefund((await kit.repos.payments.of(orderId)).providerRef ?? 'none', 5_000);
    await expect(new RefundPayment(kit.deps).execute(orderId, { reason: 'all' })).rejects.toThrow(
      ConflictError,
    );
    const payment = await kit.repos.payments.of(orderId);
    expect([payment.refunded, payment.refundable]).toEqual([0, 10_000]);
    expect(payment.refunds.map((r) => r.status)).toEqual(['released']);
    expect(kit.operations.at(-1)).toBe('refund:rejected');
  });

  it('runs the caller’s steps: begin and reserved inside the reserving transaction, released when the reservation is released', async () => {
    const kit = paymentsTestKit();
    const orderId = await givenCaptured(kit);
    const steps: string[] = [];
    const record = (name: string) => async () => {
      steps.push(`${name}@${kit.uow.commits}`);
    };
    const commits = kit.uow.commits;
    kit.fake.setOutage(true);
    await expect(
      new RefundPayment(kit.deps).execute(
        orderId,
        { amount: 1, reason: 'x' },
        { begin: record('begin'), reserved: record('reserved'), released: record('released') },
      ),
    ).rejects.toThrow(UnavailableError);
    expect(steps).toEqual([`begin@${commits}`, `reserved@${commits}`, `released@${commits + 1}`]);
  });

  it('an order without a payment is 404', async () => {
    const kit = paymentsTestKit();
    await expect(new RefundPayment(kit.deps).execute(randomUUID(), { reason: 'x' })).rejects.toThrow(
      NotFoundError,
    );
  });
});
