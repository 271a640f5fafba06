import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  givenAuthorized,
  givenCaptured,
  givenOpened,
  paymentsTestKit,
  resetCounts,
} from '../../../test/support/in-memory/payments.repositories.js';
import { ConflictError, NotFoundError, ValidationError } from '../../platform/errors.js';
import { MAX_PAYMENT_AMOUNT } from '../domain/payment.aggregate.js';
import { MAX_REFUND_REASON_LENGTH } from '../domain/refund.entity.js';
import { CancelPayment } from './cancel-payment.use-case.js';
import { RecordAuthorization } from './record-authorization.use-case.js';
import { RefundPayment } from './refund-payment.use-case.js';
import { RefundViews } from './refund-views.query.js';
import { RequestAuthorization } from './request-authorization.use-case.js';
import { RequestCapture } from './request-capture.use-case.js';
import { RequestRefund } from './request-refund.use-case.js';
import { SettlePayment } from './settle-payment.use-case.js';

const setUp = () => {
  const kit = paymentsTestKit();
  const asked: string[] = [];
  const useCase = new RequestRefund(kit.deps, (orderId) => asked.push(orderId));
  const request = (orderId: string, input: { refundId?: string; amount: number; reason?: string }) =>
    kit.uow.run(({ tx }) =>
      useCase.execute(
        orderId,
        {
          refundId: input.refundId ?? randomUUID(),
          amount: input.amount,
          reason: input.reason ?? 'return R1',
        },
        tx,
      ),
    );
  return { kit, asked, request };
};

describe('RequestRefund', () => {
  it('reserves a pending refund under the caller’s id inside the caller’s transaction, and asks for it once, without calling the provider', async () => {
    const { kit, asked, request } = setUp();
    const orderId = await givenCaptured(kit, { amount: 10_000 });
    resetCounts(kit);
    const refundId = randomUUID();
    const answer = await request(orderId, { refundId, amount: 2_500, reason: '  return EU-000123-R1 ' });
    expect(answer).toEqual({
      outcome: 'reserved',
      refund: {
        id: refundId,
        orderId,
        amount: { amount: 2_500, currency: 'EUR' },
        status: 'pending',
        reason: 'return EU-000123-R1',
        failure: null,
      },
    });
    const payment = await kit.repos.payments.of(orderId);
    expect(payment.refunds).toMatchObject([
      { id: refundId, amount: 2_500, status: 'pending', origin: 'shopcore' },
    ]);
    expect([payment.refundable, payment.refunded, payment.status]).toEqual([7_500, 0, 'CAPTURED']);
    expect(asked).toEqual([orderId]);
    expect(kit.fake.calls.refund).toBe(0);
    expect(kit.uow.events).toEqual([]);
  });

  it('caps the refund at captured − refunded − reserved; with nothing left it is nothing_refundable', async () => {
    const { kit, asked, request } = setUp();
    const orderId = await givenCaptured(kit, { amount: 10_000 });
    await new RefundPayment(kit.deps).execute(orderId, { amount: 6_000, reason: 'one item' });
    await request(orderId, { amount: 1_000 }); // reserved, still pending
    const capped = await request(orderId, { amount: 5_000 });
    expect(capped).toMatchObject({ outcome: 'reserved', refund: { amount: { amount: 3_000 } } });
    expect(await request(orderId, { amount: 1 })).toEqual({ outcome: 'nothing_refundable' });
    const payment = await kit.repos.payments.of(orderId);
    expect(payment.refunds.map((r) => [r.amount, r.status])).toEqual([
      [6_000, 'succeeded'],
      [1_000, 'pending'],
      [3_000, 'pending'],
    ]);
    expect(payment.refundable).toBe(0);
    expect(asked).toEqual([orderId, orderId]);
  });

  it('the same refundId again returns that refund as it is — reserved once, asked once — also once it settled', async () => {
    const { kit, asked, request } = setUp();
    const orderId = await givenCaptured(kit, { amount: 10_000 });
    const refundId = randomUUID();
    const first = await request(orderId, { refundId, amount: 1_000 });
    const again = await request(orderId, {
      refundId: refundId.toUpperCase(),
      amount: 9_000,
      reason: 'other',
    });
    expect(again).toEqual(first);
    expect((await kit.repos.payments.of(orderId)).refunds).toHaveLength(1);
    expect(asked).toEqual([orderId]);
    await new SettlePayment(kit.deps).execute(orderId);
    expect(await request(orderId, { refundId, amount: 1_000 })).toMatchObject({
      outcome: 'reserved',
      refund: { id: refundId, status: 'succeeded', amount: { amount: 1_000 } },
    });
    expect(asked).toEqual([orderId]);
    expect(kit.fake.calls.refund).toBe(1);
  });

  it('nothing captured while a capture may still come (authorized, capture due, pending): not_captured, nothing reserved', async () => {
    const { kit, asked, request } = setUp();
    const authorized = await givenAuthorized(kit);
    const due = await givenAuthorized(kit);
    await kit.uow.run(({ tx }) => new RequestCapture(kit.deps, () => {}).execute(due, tx));
    const pending = await givenOpened(kit);
    for (const orderId of [authorized, due, pending]) {
      expect(await request(orderId, { amount: 100 })).toEqual({ outcome: 'not_captured' });
      expect((await kit.repos.payments.of(orderId)).refunds).toEqual([]);
    }
    expect(asked).toEqual([]);
  });

  it('a payment with nothing to refund — refunded in full, being cancelled, voided, failed — is nothing_refundable', async () => {
    const { kit, asked, request } = setUp();
    const refunded = await givenCaptured(kit, { amount: 500 });
    await new RefundPayment(kit.deps).execute(refunded, { reason: 'all of it' });
    const cancelled = await givenCaptured(kit, { amount: 500 });
    const voided = await givenAuthorized(kit);
    for (const orderId of [cancelled, voided]) {
      await kit.uow.run(({ tx }) => new CancelPayment(kit.deps).execute(orderId, 'order cancelled', tx));
    }
    await new SettlePayment(kit.deps).execute(voided);
    kit.fake.setOutage(true); // the cancellation's refund stays in flight
    await new SettlePayment(kit.deps).execute(cancelled);
    kit.fake.setOutage(false);
    const failed = await givenOpened(kit, { token: 'tok_declined' });
    const declined = await new RequestAuthorization(kit.deps).execute(failed);
    await kit.uow.run(({ tx }) => new RecordAuthorization(kit.deps).execute(declined, tx));
    const statuses: string[] = [];
    for (const orderId of [refunded, cancelled, voided, failed]) {
      statuses.push((await kit.repos.payments.of(orderId)).status);
      expect(await request(orderId, { amount: 100 })).toEqual({ outcome: 'nothing_refundable' });
    }
    expect(statuses).toEqual(['REFUNDED', 'VOID_PENDING', 'VOIDED', 'FAILED']);
    expect(asked).toEqual([]);
  });

  it('an order without a payment is 404', async () => {
    const { request, asked } = setUp();
    await expect(request(randomUUID(), { amount: 100 })).rejects.toThrow(NotFoundError);
    expect(asked).toEqual([]);
  });

  it('refuses with 400 naming the field a refundId that is not a UUID, an amount out of 1..MAX_PAYMENT_AMOUNT, a reason empty or too long; nothing reserved', async () => {
    const { kit, asked, request } = setUp();
    const orderId = await givenCaptured(kit, { amount: 10_000 });
    const refusals: [Parameters<typeof request>[1], string][] = [
      [{ refundId: 'refund-1', amount: 100 }, 'refundId'],
      [{ refundId: '', amount: 100 }, 'refundId'],
      [{ amount: 0 }, 'amount'],
      [{ amount: -5 }, 'amount'],
      [{ amount: 1.5 }, 'amount'],
      [{ amount: MAX_PAYMENT_AMOUNT + 1 }, 'amount'],
      [{ amount: Number.NaN }, 'amount'],
      [{ amount: 100, reason: '   ' }, 'reason'],
      [{ amount: 100, reason: 'x'.repeat(MAX_REFUND_REASON_LENGTH + 1) }, 'reason'],
    ];
    for (const [input, path] of refusals) {
      const refused = request(orderId, input);
      await expect(refused, JSON.stringify(input)).rejects.toThrow(ValidationError);
      await expect(refused).rejects.toMatchObject({ errors: [expect.objectContaining({ path })] });
    }
    await expect(request(orderId, { refundId: 'x', amount: 0, reason: '' })).rejects.toMatchObject({
      errors: [{ path: 'refundId' }, { path: 'amount' }, { path: 'reason' }],
    });
    expect((await kit.repos.payments.of(orderId)).refunds).toEqual([]);
    expect(asked).toEqual([]);
    // the limits themselves are accepted
    expect(await request(orderId, { amount: 1, reason: 'x'.repeat(MAX_REFUND_REASON_LENGTH) })).toMatchObject(
      {
        outcome: 'reserved',
      },
    );
  });

  it('a refundId another order’s payment holds is 409, and nothing is reserved', async () => {
    const { kit, request } = setUp();
    const one = await givenCaptured(kit);
    const other = await givenCaptured(kit);
    const refundId = randomUUID();
    await request(one, { refundId, amount: 100 });
    await expect(request(other, { refundId, amount: 100 })).rejects.toThrow(ConflictError);
    expect((await kit.repos.payments.of(other)).refunds).toEqual([]);
  });

  it('once made by settle it succeeded, with PaymentRefunded naming the refund', async () => {
    const { kit, request } = setUp();
    const orderId = await givenCaptured(kit, { amount: 10_000 });
    const refundId = randomUUID();
    await request(orderId, { refundId, amount: 4_000 });
    resetCounts(kit);
    await new SettlePayment(kit.deps).execute(orderId);
    expect(kit.fake.operations.filter((o) => o.kind === 'refund')).toMatchObject([
      { idempotencyKey: refundId, amount: 4_000, outcome: 'refunded' },
    ]);
    expect(kit.uow.eventTypes()).toEqual(['shopcore.payments.PaymentRefunded.v1']);
    expect(kit.uow.events[0]?.data).toMatchObject({ orderId, amount: 4_000, refundId, reason: 'return R1' });
    const views = await new RefundViews(kit.deps).execute([refundId]);
    expect(views.get(refundId)).toMatchObject({ status: 'succeeded', failure: null });
    expect((await kit.repos.payments.of(orderId)).status).toBe('PARTIALLY_REFUNDED');
  });
});
