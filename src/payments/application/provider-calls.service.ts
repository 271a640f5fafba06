import { holdsConnection } from '../../platform/db/connection-guard.js';
import type { TransactionHandle } from '../../platform/db/unit-of-work.js';
import { IllegalStateTransitionError, NotFoundError } from '../../platform/errors.js';
import type { Payment } from '../domain/payment.aggregate.js';
import type { RefundProps } from '../domain/refund.entity.js';
import {
  isProviderUnavailable,
  type PaymentProvider,
  type UnavailableReason,
} from './payment-provider.port.js';
import type { PaymentsDeps } from './payments.deps.js';

/** What a provider call came to: its answer, or unavailable (timeout, 5xx, breaker open). */
export type Called<T> = { ok: true; value: T } | { ok: false; reason: UnavailableReason };

/**
 * Calls the provider — never inside a database transaction (ADR 0013: a slow provider must not hold
 * a pooled connection, and a rolled-back transaction cannot take back a charge).
 */
export const callProvider = async <T>(call: () => Promise<T>): Promise<Called<T>> => {
  if (holdsConnection()) {
    throw new Error('a payment provider call was made inside a database transaction; call it after commit');
  }
  try {
    return { ok: true, value: await call() };
  } catch (err) {
    if (isProviderUnavailable(err)) return { ok: false, reason: err.reason };
    throw err;
  }
};

/** The provider that holds the payment. */
export const providerOf = (deps: PaymentsDeps, payment: Payment): PaymentProvider => {
  const provider = deps.providers.get(payment.provider);
  if (!provider) throw new Error(`payment provider ${payment.provider} is not configured`);
  return provider;
};

/**
 * Runs `change` on the payment, locked in a transaction of its own, and saves it when `change` says it
 * changed something; events go to the outbox in the same transaction.
 */
export const changePayment = (
  deps: PaymentsDeps,
  paymentId: string,
  change: (payment: Payment) => boolean,
  alsoInTransaction?: (tx: TransactionHandle) => Promise<void>,
): Promise<Payment> =>
  deps.uow.run(async ({ repos, track, tx }) => {
    const payment = await repos.payments.lockById(paymentId);
    if (!payment) throw new NotFoundError(`Payment ${paymentId}`);
    track(payment);
    if (change(payment)) await repos.payments.save(payment);
    await alsoInTransaction?.(tx);
    return payment;
  });

export type RefundAttempt =
  | { result: 'refunded'; payment: Payment }
  | { result: 'rejected'; reason: string; payment: Payment }
  | { result: 'unavailable'; reason: UnavailableReason; payment: Payment };

/**
 * Makes a reserved refund at the provider (key = the refund's id) and records what came of it.
 * `releaseOnUnavailable`: the caller waits for an answer (an admin's refund: 503, nothing refunded);
 * otherwise the reservation stays for the next attempt (the payments worker). `onReleased` runs in the
 * transaction that releases the reservation (rejected, or unavailable with `releaseOnUnavailable`).
 */
export const refundAtProvider = async (
  deps: PaymentsDeps,
  payment: Payment,
  refund: RefundProps,
  releaseOnUnavailable: boolean,
  onReleased?: (tx: TransactionHandle) => Promise<void>,
): Promise<RefundAttempt> => {
  const provider = providerOf(deps, payment);
  const reference = payment.providerRef;
  if (!reference) throw new Error(`payment ${payment.id} has a refund but no authorization reference`);
  const called = await callProvider(() =>
    provider.refund({
      idempotencyKey: refund.id,
      reference,
      amount: refund.amount,
      currency: payment.currency,
      reason: refund.reason,
      merchantReference: refund.id,
    }),
  );
  const at = deps.clock.now();
  if (!called.ok) {
    deps.metrics.operation('refund', 'unavailable');
    const after = await changePayment(
      deps,
      payment.id,
      (p) => p.recordRefundFailed(refund.id, 'unavailable', called.reason, at, releaseOnUnavailable),
      releaseOnUnavailable ? onReleased : undefined,
    );
    return { result: 'unavailable', reason: called.reason, payment: after };
  }
  const answer = called.value;
  if (answer.outcome === 'rejected') {
    deps.metrics.operation('refund', 'rejected');
    deps.logger.warn(
      { paymentId: payment.id, refundId: refund.id, reason: answer.reason },
      'provider rejected a refund',
    );
    const after = await changePayment(
      deps,
      payment.id,
      (p) => p.recordRefundFailed(refund.id, 'rejected', answer.reason, at, true),
      onReleased,
    );
    return { result: 'rejected', reason: answer.reason, payment: after };
  }
  deps.metrics.operation('refund', 'succeeded');
  const after = await changePayment(deps, payment.id, (p) =>
    p.recordRefunded(refund.id, answer.reference, at),
  );
  return { result: 'refunded', payment: after };
};

/** What one capture attempt came to, with the payment as recorded afterwards. */
export type CaptureAttempt =
  | { result: 'captured'; payment: Payment }
  | { result: 'unavailable' | 'rejected'; reason: string; payment: Payment };

/**
 * One capture of the authorized amount at the provider — outside any transaction, with the key
 * `<paymentId>:capture`, so a retry after a lost answer gets the provider's first result — then
 * recorded in a transaction of its own: AUTHORIZED → CAPTURED with `PaymentCaptured`, or, when the
 * provider is unavailable or refuses, a ledger row and `PaymentCaptureFailed` (a capture that was
 * asked for stays due for the payments worker).
 */
export const captureAtProvider = async (deps: PaymentsDeps, payment: Payment): Promise<CaptureAttempt> => {
  const reference = payment.providerRef;
  if (payment.status !== 'AUTHORIZED' || !reference) {
    throw new IllegalStateTransitionError('Payment', payment.status, 'CAPTURED');
  }
  const provider = providerOf(deps, payment);
  const called = await callProvider(() =>
    provider.capture({
      idempotencyKey: payment.captureKey,
      reference,
      amount: payment.authorized,
      currency: payment.currency,
    }),
  );
  const at = deps.clock.now();
  const failed = async (result: 'unavailable' | 'rejected', reason: string): Promise<CaptureAttempt> => {
    deps.metrics.operation('capture', result);
    const after = await changePayment(deps, payment.id, (p) => {
      p.recordCaptureFailed(result, reason, at);
      return true;
    });
    return { result, reason, payment: after };
  };
  if (!called.ok) return failed('unavailable', called.reason);
  if (called.value.outcome === 'rejected') return failed('rejected', called.value.reason);
  const answer = called.value;
  deps.metrics.operation('capture', 'succeeded');
  const captured = await changePayment(deps, payment.id, (p) =>
    p.recordCaptured({ reference: answer.reference, amount: answer.amount, at, source: 'shopcore' }),
  );
  return { result: 'captured', payment: captured };
};
