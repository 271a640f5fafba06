import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  givenAuthorized,
  givenCaptured,
  givenRefundRequested,
  paymentsTestKit,
} from '../../../test/support/in-memory/payments.repositories.js';
import { CancelPayment } from './cancel-payment.use-case.js';
import { RequestCapture } from './request-capture.use-case.js';
import { SettleDuePayments, type SettlementBackoff } from './settle-due-payments.use-case.js';
import { SettlePayment } from './settle-payment.use-case.js';

type Kit = ReturnType<typeof paymentsTestKit>;
const cancel = (kit: Kit, orderId: string) =>
  kit.uow.run(({ tx }) => new CancelPayment(kit.deps).execute(orderId, 'order cancelled', tx));
const requestCapture = (kit: Kit, orderId: string) =>
  kit.uow.run(({ tx }) => new RequestCapture(kit.deps, () => {}).execute(orderId, tx));

/** A backoff that waits a fixed minute after each failure, and remembers what it was told. */
class MinuteBackoff implements SettlementBackoff {
  readonly until = new Map<string, number>();
  readonly told: string[] = [];
  waiting(key: string, now: number): boolean {
    return (this.until.get(key) ?? 0) > now;
  }
  failed(key: string, now: number): void {
    this.told.push(`failed:${key}`);
    this.until.set(key, now + 60_000);
  }
  succeeded(key: string): void {
    this.told.push(`succeeded:${key}`);
    this.until.delete(key);
  }
}

const worker = (kit: Kit, settle: SettlePayment = new SettlePayment(kit.deps), batch = 50) => {
  const backoff = new MinuteBackoff();
  const due = new SettleDuePayments(kit.deps, settle, { settleAfterMs: 30_000, batch, backoff });
  return { due, backoff };
};

describe('SettleDuePayments', () => {
  it('settles only what was left due longer than settleAfterMs: the caller’s own settling comes first', async () => {
    const kit = paymentsTestKit();
    const orderId = await givenAuthorized(kit);
    await cancel(kit, orderId);
    const { due, backoff } = worker(kit);
    kit.clock.advance(29_999);
    expect(await due.execute()).toEqual({ settled: [], due: [] });
    kit.clock.advance(2);
    expect(await due.execute()).toEqual({ settled: [orderId], due: [] });
    expect((await kit.repos.payments.of(orderId)).status).toBe('VOIDED');
    expect(backoff.told).toEqual([`succeeded:${orderId}`]);
  });

  it('settles captures asked for, cancellations and reserved refunds, oldest first, a batch at a time', async () => {
    const kit = paymentsTestKit();
    const capture = await givenAuthorized(kit);
    await requestCapture(kit, capture);
    kit.clock.advance(1_000);
    const voided = await givenAuthorized(kit);
    await cancel(kit, voided);
    kit.clock.advance(1_000);
    const refunded = await givenCaptured(kit);
    await cancel(kit, refunded);
    kit.clock.advance(60_000);
    const { due } = worker(kit, new SettlePayment(kit.deps), 2);
    expect(await due.execute()).toEqual({ settled: [capture, voided], due: [] });
    expect(await due.execute()).toEqual({ settled: [refunded], due: [] });
    const statuses = await Promise.all(
      [capture, voided, refunded].map(async (o) => (await kit.repos.payments.of(o)).status),
    );
    expect(statuses).toEqual(['CAPTURED', 'VOIDED', 'REFUNDED']);
  });

  it('a payment still due after its attempt waits its backoff before the next one, then is settled', async () => {
    const kit = paymentsTestKit();
    const orderId = await givenAuthorized(kit);
    await requestCapture(kit, orderId);
    kit.clock.advance(60_000);
    const { due, backoff } = worker(kit);
    kit.fake.setOutage(true);
    expect(await due.execute()).toEqual({ settled: [], due: [orderId] });
    kit.fake.setOutage(false);
    const calls = kit.fake.calls.capture;
    kit.clock.advance(59_999);
    expect(await due.execute()).toEqual({ settled: [], due: [orderId] });
    expect(kit.fake.calls.capture).toBe(calls);
    kit.clock.advance(1);
    expect(await due.execute()).toEqual({ settled: [orderId], due: [] });
    expect(backoff.told).toEqual([`failed:${orderId}`, `succeeded:${orderId}`]);
  });

  it('a refund requested in a caller’s transaction that met an outage is made by the worker once the provider is back', async () => {
    const kit = paymentsTestKit();
    const orderId = await givenCaptured(kit, { amount: 10_000 });
    const refundId = randomUUID();
    await givenRefundRequested(kit, orderId, { refundId, amount: 2_000 });
    kit.fake.setOutage(true);
    await new SettlePayment(kit.deps).execute(orderId); // the attempt after the caller's commit
    kit.clock.advance(60_000);
    const { due } = worker(kit);
    expect(await due.execute()).toEqual({ settled: [], due: [orderId] });
    kit.fake.setOutage(false);
    kit.clock.advance(60_000);
    expect(await due.execute()).toEqual({ settled: [orderId], due: [] });
    const payment = await kit.repos.payments.of(orderId);
    expect([payment.refundById(refundId)?.status, payment.refunded]).toEqual(['succeeded', 2_000]);
  });

  it('a payment whose settling throws is logged and backed off; the others are still settled', async () => {
    const kit = paymentsTestKit();
    const broken = await givenAuthorized(kit);
    await cancel(kit, broken);
    const fine = await givenAuthorized(kit);
    await cancel(kit, fine);
    kit.clock.advance(60_000);
    const real = new SettlePayment(kit.deps);
    const settle = {
      execute: (orderId: string) =>
        orderId === broken ? Promise.reject(new Error('boom')) : real.execute(orderId),
    } as SettlePayment;
    const { due, backoff } = worker(kit, settle);
    expect(await due.execute()).toEqual({ settled: [fine], due: [broken] });
    expect(backoff.told).toEqual([`failed:${broken}`, `succeeded:${fine}`]);
    expect(kit.logs).toEqual([{ level: 'error', msg: 'settling a payment failed; retrying later' }]);
  });
});
