import { describe, expect, it } from 'vitest';
import { ConflictError, IllegalStateTransitionError, ValidationError } from '../../platform/errors.js';
import { Payment, type PaymentDomainEvent } from './payment.aggregate.js';
import { PAYMENT_STATUSES, type PaymentStatus, paymentStates } from './payment.lifecycle.js';
import { NothingToRefundError, RefundExceedsRefundableError } from './payments.errors.js';

const at = new Date('2026-03-01T12:00:00Z');
const ORDER = '3f2b8c1e-5d4a-4e6b-9c7d-1a2b3c4d5e6f';

const LEGAL: Record<PaymentStatus, PaymentStatus[]> = {
  PENDING: ['AUTHORIZED', 'FAILED', 'VOID_PENDING'],
  AUTHORIZED: ['CAPTURED', 'VOID_PENDING', 'VOIDED'],
  FAILED: [],
  VOID_PENDING: ['VOIDED', 'REFUNDED', 'FAILED'],
  VOIDED: ['VOID_PENDING'],
  CAPTURED: ['PARTIALLY_REFUNDED', 'REFUNDED', 'VOID_PENDING'],
  PARTIALLY_REFUNDED: ['REFUNDED', 'VOID_PENDING'],
  REFUNDED: [],
};

const opened = (amount = 10_000) =>
  Payment.open({
    id: 'pay-1',
    orderId: ORDER,
    provider: 'fake',
    amount,
    currency: 'EUR',
    token: 'tok_visa',
    now: at,
  });

const authorized = (amount = 10_000) => {
  const p = opened(amount);
  p.recordAuthorized({ reference: 'fake_auth_1', amount, brand: 'visa', last4: '4242', at });
  return p;
};

const captured = (amount = 10_000) => {
  const p = authorized(amount);
  p.recordCaptured({ reference: 'fake_cap_1', amount, at, source: 'shopcore' });
  return p;
};

const events = (p: Payment) =>
  p.pullEvents().map((e) => {
    const { name, amount, reason } = e as PaymentDomainEvent;
    return reason ? { name, amount, reason } : { name, amount };
  });

describe('the payment state machine', () => {
  it('allows exactly the moves of its table and refuses every other one with IllegalStateTransitionError (409)', () => {
    expect([...paymentStates.states].sort()).toEqual([...PAYMENT_STATUSES].sort());
    for (const from of PAYMENT_STATUSES) {
      for (const to of PAYMENT_STATUSES) {
        const legal = LEGAL[from].includes(to);
        expect(paymentStates.can(from, to), `${from} → ${to}`).toBe(legal);
        if (legal) expect(paymentStates.transition(from, to)).toBe(to);
        else {
          expect(() => paymentStates.transition(from, to), `${from} → ${to}`).toThrow(
            IllegalStateTransitionError,
          );
          expect(() => paymentStates.transition(from, to)).toThrow(
            `Payment cannot move from ${from} to ${to}`,
          );
        }
      }
    }
    expect(paymentStates.isFinal('FAILED')).toBe(true);
    expect(paymentStates.isFinal('REFUNDED')).toBe(true);
  });

  it('refuses the operations a status does not allow with IllegalStateTransitionError', () => {
    const failed = opened();
    failed.recordDeclined('card_declined', at);
    expect(() =>
      failed.recordAuthorized({ reference: 'fake_auth_9', amount: 10_000, brand: 'visa', last4: '4242', at }),
    ).toThrow(IllegalStateTransitionError);
    expect(() => opened().recordCaptured({ reference: 'c', amount: 1, at, source: 'shopcore' })).toThrow(
      IllegalStateTransitionError,
    );
    expect(() => failed.recordCaptured({ reference: 'c', amount: 1, at, source: 'shopcore' })).toThrow(
      IllegalStateTransitionError,
    );
    expect(() => authorized().recordDeclined('late', at)).toThrow(IllegalStateTransitionError);
    expect(() => opened().recordVoided({ reference: 'v', at, source: 'provider' })).toThrow(
      IllegalStateTransitionError,
    );
    expect(() => captured().recordVoided({ reference: 'v', at, source: 'provider' })).toThrow(
      IllegalStateTransitionError,
    );
    const voided = authorized();
    voided.cancel('changed my mind', at);
    voided.recordVoided({ reference: 'v', at, source: 'shopcore' });
    expect(() => voided.recordCaptured({ reference: 'c', amount: 1, at, source: 'provider' })).toThrow(
      IllegalStateTransitionError,
    );
  });
});

describe('Payment', () => {
  it('opens PENDING with nothing authorized; the amount is positive integer minor units', () => {
    const p = opened();
    expect(p.status).toBe('PENDING');
    expect([p.authorized, p.captured, p.refunded]).toEqual([0, 0, 0]);
    expect(p.authorizeKey).toBe('pay-1:authorize');
    expect(p.captureKey).toBe('pay-1:capture');
    expect(p.voidKey).toBe('pay-1:void');
    for (const amount of [0, -1, 1.5, Number.NaN]) expect(() => opened(amount)).toThrow(ValidationError);
  });

  it('is authorized once: brand and last four kept, one ledger row, PaymentAuthorized; the same answer again changes nothing', () => {
    const p = authorized();
    expect(p.status).toBe('AUTHORIZED');
    expect([p.brand, p.last4, p.authorized]).toEqual(['visa', '4242', 10_000]);
    expect(events(p)).toEqual([{ name: 'PaymentAuthorized', amount: 10_000 }]);
    const { ledger } = p.takeChanges();
    expect(ledger).toMatchObject([
      { kind: 'authorize', idempotencyKey: 'pay-1:authorize', amount: 10_000, outcome: 'succeeded' },
    ]);
    expect(
      p.recordAuthorized({ reference: 'fake_auth_1', amount: 10_000, brand: 'visa', last4: '4242', at }),
    ).toBe(false);
    expect(p.takeChanges().ledger).toEqual([]);
    expect(() =>
      p.recordAuthorized({ reference: 'fake_auth_2', amount: 10_000, brand: 'visa', last4: '4242', at }),
    ).toThrow(ConflictError);
  });

  it('never keeps more than four digits of a card', () => {
    expect(() =>
      opened().recordAuthorized({
        reference: 'r',
        amount: 10_000,
        brand: 'visa',
        last4: '4242424242424242',
        at,
      }),
    ).toThrow(/four digits/);
  });

  it('fails on a decline, once', () => {
    const p = opened();
    expect(p.recordDeclined('card_declined', at)).toBe(true);
    expect(p.status).toBe('FAILED');
    expect(events(p)).toEqual([{ name: 'PaymentFailed', amount: 10_000, reason: 'card_declined' }]);
    expect(p.recordDeclined('card_declined', at)).toBe(false);
  });

  it('records an unavailable provider as a ledger row only', () => {
    const p = opened();
    p.recordUnavailable('authorize', p.authorizeKey, p.amount, 'timeout', at);
    expect(p.status).toBe('PENDING');
    expect(p.takeChanges().ledger).toMatchObject([{ outcome: 'unavailable', reason: 'timeout' }]);
    expect(events(p)).toEqual([]);
  });

  it('cancels an authorization into VOID_PENDING, then VOIDED with PaymentVoided', () => {
    const p = authorized();
    p.pullEvents();
    expect(p.cancel('customer changed their mind', at)).toBe(true);
    expect(p.status).toBe('VOID_PENDING');
    expect(p.needsSettlement).toBe(true);
    expect(p.cancel('again', at)).toBe(false);
    expect(p.recordVoided({ reference: 'fake_void_1', at, source: 'shopcore' })).toBe(true);
    expect(p.status).toBe('VOIDED');
    expect(events(p)).toEqual([
      { name: 'PaymentVoided', amount: 10_000, reason: 'customer changed their mind' },
    ]);
    expect(p.recordVoided({ reference: 'fake_void_1', at, source: 'shopcore' })).toBe(false);
    expect(p.cancel('once more', at)).toBe(false);
  });

  it('closes a payment cancelled while pending with no authorization at the provider as VOIDED of 0', () => {
    const p = opened();
    p.cancel('expired', at);
    p.recordVoided({ reference: null, at, source: 'shopcore' });
    expect(p.status).toBe('VOIDED');
    expect(events(p)).toEqual([{ name: 'PaymentVoided', amount: 0, reason: 'expired' }]);
  });

  it('keeps an authorization that arrives after the cancellation, to void it (VOIDED → VOID_PENDING)', () => {
    const p = opened();
    p.cancel('expired', at);
    p.recordVoided({ reference: null, at, source: 'shopcore' });
    p.recordAuthorized({ reference: 'fake_auth_late', amount: 10_000, brand: 'visa', last4: '4242', at });
    expect(p.status).toBe('VOID_PENDING');
    expect(p.providerRef).toBe('fake_auth_late');
    p.recordVoided({ reference: 'fake_void_late', at, source: 'shopcore' });
    expect(p.status).toBe('VOIDED');
  });

  it('a late decline of a payment cancelled while pending fails it', () => {
    const p = opened();
    p.cancel('expired', at);
    p.recordDeclined('card_declined', at);
    expect(p.status).toBe('FAILED');
  });

  it('captures at most what was authorized, once', () => {
    const p = authorized();
    expect(() => p.recordCaptured({ reference: 'c', amount: 10_001, at, source: 'shopcore' })).toThrow(
      ConflictError,
    );
    expect(p.recordCaptured({ reference: 'fake_cap_1', amount: 10_000, at, source: 'shopcore' })).toBe(true);
    expect(p.status).toBe('CAPTURED');
    expect(p.recordCaptured({ reference: 'fake_cap_1', amount: 10_000, at, source: 'shopcore' })).toBe(false);
    expect(events(p)).toEqual([
      { name: 'PaymentAuthorized', amount: 10_000 },
      { name: 'PaymentCaptured', amount: 10_000 },
    ]);
  });

  it('reserves refunds so that together they never exceed what was captured', () => {
    const p = captured(100);
    const a = p.requestRefund({ amount: 60, reason: 'damaged', at });
    expect(p.refundable).toBe(40);
    expect(() => p.requestRefund({ amount: 41, reason: 'too much', at })).toThrow(
      RefundExceedsRefundableError,
    );
    const b = p.requestRefund({ reason: 'the rest', at });
    expect(b.amount).toBe(40);
    expect(() => p.requestRefund({ reason: 'nothing left', at })).toThrow(NothingToRefundError);
    expect(() => p.requestRefund({ amount: 0, reason: 'zero', at })).toThrow(ValidationError);
    p.recordRefunded(a.id, 'fake_re_a', at);
    expect([p.status, p.refunded]).toEqual(['PARTIALLY_REFUNDED', 60]);
    p.recordRefunded(b.id, 'fake_re_b', at);
    expect([p.status, p.refunded]).toEqual(['REFUNDED', 100]);
    expect(p.recordRefunded(b.id, 'fake_re_b', at)).toBe(false);
    expect(events(p).filter((e) => e.name === 'PaymentRefunded')).toEqual([
      { name: 'PaymentRefunded', amount: 60, reason: 'damaged' },
      { name: 'PaymentRefunded', amount: 40, reason: 'the rest' },
    ]);
  });

  it('gives a released refund back to what is refundable; a late answer of the provider still counts it', () => {
    const p = captured(100);
    const r = p.requestRefund({ amount: 30, reason: 'late', at });
    p.recordRefundFailed(r.id, 'unavailable', 'timeout', at, false);
    expect(p.refundable).toBe(70);
    p.recordRefundFailed(r.id, 'unavailable', 'timeout', at, true);
    expect(p.refundable).toBe(100);
    expect(p.recordRefundFailed(r.id, 'unavailable', 'timeout', at, true)).toBe(false);
    p.recordRefunded(r.id, 'fake_re_late', at);
    expect([p.refunded, p.status]).toEqual([30, 'PARTIALLY_REFUNDED']);
  });

  it('refuses refunds of what was not captured', () => {
    expect(() => authorized().requestRefund({ amount: 1, reason: 'x', at })).toThrow(NothingToRefundError);
    const p = captured(100);
    p.cancel('cancelled after dispatch', at);
    expect(() => p.requestRefund({ amount: 1, reason: 'x', at })).toThrow(NothingToRefundError);
  });

  it('cancels a capture by reserving the refund of what remains, then REFUNDED', () => {
    const p = captured(100);
    const partial = p.requestRefund({ amount: 25, reason: 'one item', at });
    p.recordRefunded(partial.id, 'fake_re_1', at);
    expect(p.cancel('returned', at)).toBe(true);
    expect(p.status).toBe('VOID_PENDING');
    const [rest] = p.pendingRefunds;
    expect(rest?.amount).toBe(75);
    p.recordRefunded(rest!.id, 'fake_re_2', at);
    expect([p.status, p.refunded, p.needsSettlement]).toEqual(['REFUNDED', 100, false]);
  });

  it('reserves a new cancellation refund after a rejected one, and closes once all is refunded', () => {
    const p = captured(100);
    p.cancel('returned', at);
    const [first] = p.pendingRefunds;
    p.recordRefundFailed(first!.id, 'rejected', 'amount_exceeds_refundable', at, true);
    const again = p.continueCancellationRefund(at);
    expect(again?.amount).toBe(100);
    expect(p.continueCancellationRefund(at)).toBeNull(); // one in flight
    p.recordRefunded(again!.id, 'fake_re_3', at);
    expect(p.status).toBe('REFUNDED');
  });

  it('reconciles refunds the provider announces: ours by its id, known ones once, others within the capture', () => {
    const p = captured(100);
    const ours = p.requestRefund({ amount: 10, reason: 'ours', at });
    const announce = (reference: string, amount: number, merchantReference: string | null) =>
      p.recordProviderRefund({
        reference,
        amount,
        reason: 'dashboard',
        merchantReference,
        at,
        key: `webhook:${reference}`,
      });
    expect(announce('fake_re_ours', 10, ours.id)).toBe(true);
    expect(p.refunds.find((r) => r.id === ours.id)?.status).toBe('succeeded');
    expect(p.recordRefunded(ours.id, 'fake_re_ours', at)).toBe(false);
    expect(announce('fake_re_ours', 10, ours.id)).toBe(false);
    expect(announce('fake_re_dash', 20, null)).toBe(true);
    expect(announce('fake_re_dash', 20, null)).toBe(false);
    expect([p.refunded, p.status]).toEqual([30, 'PARTIALLY_REFUNDED']);
    expect(() => announce('fake_re_big', 71, null)).toThrow(ConflictError);
    expect(p.refunded).toBe(30);
  });

  it('hands out copies of its refunds: a refund moves only through its payment', () => {
    const p = captured(100);
    const r = p.requestRefund({ amount: 10, reason: 'x', at });
    Object.assign(r, { status: 'succeeded' });
    for (const copy of p.refunds) Object.assign(copy, { status: 'released' });
    expect(p.pendingRefunds.map((x) => x.id)).toEqual([r.id]);
    expect([p.refundable, p.refunded]).toEqual([90, 0]);
    expect(p.takeChanges().refunds).toMatchObject([{ id: r.id, status: 'pending' }]);
  });

  it('captures a payment cancelled before the capture was known, and reserves its refund', () => {
    const p = authorized(100);
    p.cancel('cancelled', at);
    p.recordCaptured({ reference: 'fake_cap_dash', amount: 100, at, source: 'provider' });
    expect(p.status).toBe('VOID_PENDING');
    expect(p.pendingRefunds.map((r) => r.amount)).toEqual([100]);
  });
});

describe('a refund under the caller’s id', () => {
  const REFUND = '6a1f4c2e-8b3d-4e5f-9a7b-0c1d2e3f4a5b';

  it('reserves it under that id, and PaymentRefunded names it', () => {
    const p = captured(100);
    p.pullEvents();
    const r = p.requestRefund({ id: REFUND, amount: 40, reason: 'return EU-000123-R1', at });
    expect(r).toMatchObject({ id: REFUND, amount: 40, status: 'pending', origin: 'shopcore' });
    expect(p.refundById(REFUND)).toEqual(r);
    expect(p.takeChanges().refunds.map((x) => x.id)).toEqual([REFUND]);
    expect(p.refundable).toBe(60);
    p.recordRefunded(REFUND, 'fake_re_1', at);
    expect(p.pullEvents()).toEqual([
      expect.objectContaining({ name: 'PaymentRefunded', amount: 40, refundId: REFUND }),
    ]);
  });

  it('refuses an id that is not a UUID (400 naming refundId) and an id it holds already (409), reserving nothing', () => {
    const p = captured(100);
    expect(() => p.requestRefund({ id: 'r-1', amount: 10, reason: 'x', at })).toThrow(
      expect.objectContaining({
        code: 'VALIDATION_FAILED',
        errors: [expect.objectContaining({ path: 'refundId' })],
      }),
    );
    p.requestRefund({ id: REFUND.toUpperCase(), amount: 10, reason: 'x', at });
    expect(p.refundById(REFUND)?.id).toBe(REFUND); // kept in lower case, as Postgres reads a uuid back
    expect(() => p.requestRefund({ id: REFUND, amount: 10, reason: 'again', at })).toThrow(ConflictError);
    expect(p.refunds.map((r) => [r.id, r.amount])).toEqual([[REFUND, 10]]);
    expect(p.refundable).toBe(90);
  });

  it('an announced refund of ours names our id; one made at the provider names none', () => {
    const p = captured(100);
    p.requestRefund({ id: REFUND, amount: 10, reason: 'ours', at });
    p.pullEvents();
    const announce = (reference: string, amount: number, merchantReference: string | null) =>
      p.recordProviderRefund({
        reference,
        amount,
        reason: null,
        merchantReference,
        at,
        key: `webhook:${reference}`,
      });
    announce('fake_re_ours', 10, REFUND);
    announce('fake_re_dash', 5, null);
    const refunded = p.pullEvents() as PaymentDomainEvent[];
    expect(refunded.map((e) => [e.amount, e.refundId])).toEqual([
      [10, REFUND],
      [5, undefined],
    ]);
  });

  it('offers a new refund what is refundable while captured; nothing while a cancellation refunds the rest', () => {
    const p = captured(100);
    p.requestRefund({ amount: 30, reason: 'x', at });
    expect(p.refundableOnRequest).toBe(70);
    expect(authorized().refundableOnRequest).toBe(0);
    const cancelled = captured(100);
    cancelled.cancel('cancelled', at);
    const [rest] = cancelled.pendingRefunds;
    cancelled.recordRefundFailed(rest!.id, 'rejected', 'no', at, true);
    expect([cancelled.refundable, cancelled.refundableOnRequest]).toEqual([100, 0]);
  });

  it('knows whether a capture may still come: pending or authorized with nothing captured', () => {
    expect(opened().awaitingCapture).toBe(true);
    expect(authorized().awaitingCapture).toBe(true);
    expect(captured().awaitingCapture).toBe(false);
    const cancelled = authorized();
    cancelled.cancel('cancelled', at);
    expect(cancelled.awaitingCapture).toBe(false);
    expect(captured().refundById(REFUND)).toBeNull();
  });
});

describe('a capture requested at dispatch', () => {
  it('becomes due on an authorized payment, once, and is settled by the capture', () => {
    const p = authorized();
    expect(p.captureDue).toBe(false);
    expect(p.requestCapture(at)).toBe(true);
    expect(p.captureDue).toBe(true);
    expect(p.needsSettlement).toBe(true);
    expect(p.requestCapture(at)).toBe(false);
    p.pullEvents();
    p.recordCaptured({ reference: 'fake_cap_1', amount: 10_000, at, source: 'shopcore' });
    expect(p.captureDue).toBe(false);
    expect(p.needsSettlement).toBe(false);
    expect(p.requestCapture(at)).toBe(false);
  });

  it('is refused for a payment that is not authorized (409), and changes nothing', () => {
    for (const p of [
      opened(),
      (() => {
        const c = authorized();
        c.cancel('changed my mind', at);
        return c;
      })(),
    ]) {
      expect(() => p.requestCapture(at)).toThrow(IllegalStateTransitionError);
      expect(p.captureRequestedAt).toBeNull();
    }
  });

  it('records a failed attempt in the ledger and as PaymentCaptureFailed, and stays due', () => {
    const p = authorized();
    p.requestCapture(at);
    p.pullEvents();
    p.takeChanges();
    p.recordCaptureFailed('unavailable', 'timeout', at);
    expect(events(p)).toEqual([
      { name: 'PaymentCaptureFailed', amount: 10_000, reason: 'unavailable: timeout' },
    ]);
    expect(p.takeChanges().ledger).toEqual([
      expect.objectContaining({ kind: 'capture', outcome: 'unavailable', reason: 'timeout', amount: 10_000 }),
    ]);
    expect(p.status).toBe('AUTHORIZED');
    expect(p.captureDue).toBe(true);
  });
});
