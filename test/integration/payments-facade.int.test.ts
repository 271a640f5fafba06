import type { DataSource } from 'typeorm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TypeOrmPaymentRepository } from '../../src/payments/adapters/persistence/typeorm-payment.repository.js';
import { PaymentEventTypes } from '../../src/payments/contract.js';
import {
  createPaymentsServices,
  FakePaymentProvider,
  PAYMENTS_ENTITIES,
} from '../../src/payments/payments.plugin.js';
import { systemClock } from '../../src/platform/clock.js';
import { createDataSource } from '../../src/platform/db/data-source.js';
import { asHandle } from '../../src/platform/db/typeorm-unit-of-work.js';
import type { TransactionHandle } from '../../src/platform/db/unit-of-work.js';
import { newId } from '../../src/platform/ids.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { missing } from '../support/skip.js';

/**
 * The payments facade against a real Postgres (pool guarded: a checkout from inside a transaction
 * fails) and the shipped fake provider: open/authorize/record, capture, cancel + settle, refunds
 * (partial, full, over, concurrent, provider down), and a lost authorization answer across a restart.
 */
describe.skipIf(missing('postgres'))('payments facade (Postgres, fake provider)', () => {
  let db: TestDatabase;
  const sources: DataSource[] = [];
  const fast = { baseDelayMs: 1, maxDelayMs: 2 };

  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(async () => {
    await Promise.all(sources.map((s) => s.destroy()));
    await db?.drop();
  });

  /** One app instance's payments: its own pool, over the given (external) provider. */
  const instance = async (provider = new FakePaymentProvider({ webhookSecret: 'int-test-secret-0123' })) => {
    const ds = createDataSource({ url: db.url, poolSize: 5, entities: PAYMENTS_ENTITIES });
    await ds.initialize();
    sources.push(ds);
    const services = createPaymentsServices({
      dataSource: ds,
      region: 'eu',
      clock: systemClock,
      provider,
      resilience: fast,
      settleAfterMs: 0,
    });
    const inTx = <T>(work: (tx: TransactionHandle) => Promise<T>) => ds.transaction((m) => work(asHandle(m)));
    return { ds, provider, services, payments: services.facade, inTx };
  };
  type Instance = Awaited<ReturnType<typeof instance>>;

  const open = (i: Instance, token = 'tok_visa', amount = 10_000, orderId = newId()) =>
    i.inTx((tx) => i.payments.open({ orderId, amount, currency: 'EUR', token }, tx));

  const authorized = async (i: Instance, amount = 10_000) => {
    const opened = await open(i, 'tok_visa', amount);
    const outcome = await i.payments.requestAuthorization(opened.orderId);
    expect(outcome.result).toBe('authorized');
    return i.inTx((tx) => i.payments.recordAuthorization(outcome, tx));
  };

  const captured = async (i: Instance, amount = 10_000) => {
    const view = await authorized(i, amount);
    return i.payments.capture(view.orderId);
  };

  const events = async (i: Instance, paymentId: string) =>
    (
      (await i.ds.query('SELECT type, subject, data FROM outbox WHERE subject = $1 ORDER BY seq', [
        paymentId,
      ])) as {
        type: string;
        subject: string;
        data: Record<string, unknown>;
      }[]
    ).map(
      (e): Record<string, unknown> => ({
        type: e.type.replace(/^shopcore\.payments\.|\.v1$/g, ''),
        ...e.data,
      }),
    );

  const ledger = async (i: Instance, paymentId: string) =>
    (
      (await i.ds.query(
        'SELECT kind, idempotency_key, amount, outcome FROM payment_operations WHERE payment_id = $1 ORDER BY seq',
        [paymentId],
      )) as { kind: string; idempotency_key: string; amount: number; outcome: string }[]
    ).map((r) => `${r.kind} ${r.outcome} ${r.amount} ${r.idempotency_key.replace(paymentId, '<id>')}`);

  const codeOf = async (p: Promise<unknown>) => {
    try {
      await p;
      return 'ok';
    } catch (err) {
      return (err as { code?: string }).code ?? String(err);
    }
  };

  describe('open, authorize, record', () => {
    it('opens one PENDING payment per order inside the caller’s transaction', async () => {
      const i = await instance();
      const orderId = newId();
      const first = await open(i, 'tok_visa', 4_200, orderId);
      expect(first).toMatchObject({
        orderId,
        status: 'PENDING',
        provider: 'fake',
        amount: { amount: 4_200, currency: 'EUR' },
        authorized: { amount: 0, currency: 'EUR' },
        brand: null,
        last4: null,
      });
      const again = await open(i, 'tok_visa', 4_200, orderId);
      expect(again.id).toBe(first.id);
      const [{ n }] = await i.ds.query('SELECT count(*)::int AS n FROM payments WHERE order_id = $1', [
        orderId,
      ]);
      expect(n).toBe(1);
      // concurrent opens of one order: still one payment
      const raced = newId();
      const views = await Promise.all(Array.from({ length: 5 }, () => open(i, 'tok_visa', 100, raced)));
      expect(new Set(views.map((v) => v.id)).size).toBe(1);
    });

    it('refuses a token the provider can never accept with 400 naming payment.token, writing nothing', async () => {
      const i = await instance();
      const orderId = newId();
      await expect(open(i, 'tok_vias', 100, orderId)).rejects.toMatchObject({
        code: 'VALIDATION_FAILED',
        errors: [{ path: 'payment.token' }],
      });
      expect(await i.payments.viewsOf([orderId])).toEqual(new Map());
    });

    it('authorizes once: AUTHORIZED with brand and last four, one ledger row and one PaymentAuthorized even if recorded twice', async () => {
      const i = await instance();
      const opened = await open(i, 'tok_mastercard', 2_500);
      const outcome = await i.payments.requestAuthorization(opened.orderId);
      expect(outcome).toMatchObject({
        result: 'authorized',
        paymentId: opened.id,
        brand: 'mastercard',
        last4: '4444',
      });
      const view = await i.inTx((tx) => i.payments.recordAuthorization(outcome, tx));
      await i.inTx((tx) => i.payments.recordAuthorization(outcome, tx));
      expect(view).toMatchObject({
        status: 'AUTHORIZED',
        brand: 'mastercard',
        last4: '4444',
        authorized: { amount: 2_500 },
      });
      expect(await ledger(i, opened.id)).toEqual(['authorize succeeded 2500 <id>:authorize']);
      expect(await events(i, opened.id)).toEqual([
        {
          type: 'PaymentAuthorized',
          paymentId: opened.id,
          orderId: opened.orderId,
          amount: 2_500,
          currency: 'EUR',
        },
      ]);
      // asking again answers from the payment, without a provider call
      const calls = i.provider.calls.authorize;
      await expect(i.payments.requestAuthorization(opened.orderId)).resolves.toMatchObject({
        result: 'authorized',
        providerRef: outcome.result === 'authorized' ? outcome.providerRef : '',
      });
      expect(i.provider.calls.authorize).toBe(calls);
      // only the token, brand and last four digits are stored
      const [row] = await i.ds.query('SELECT token, brand, last4 FROM payments WHERE id = $1', [opened.id]);
      expect(row).toEqual({ token: 'tok_mastercard', brand: 'mastercard', last4: '4444' });
    });

    it('fails a declined payment with PaymentFailed', async () => {
      const i = await instance();
      const opened = await open(i, 'tok_declined');
      const outcome = await i.payments.requestAuthorization(opened.orderId);
      expect(outcome).toMatchObject({ result: 'declined', reason: 'card_declined' });
      const view = await i.inTx((tx) => i.payments.recordAuthorization(outcome, tx));
      expect(view.status).toBe('FAILED');
      expect(await events(i, opened.id)).toMatchObject([
        { type: 'PaymentFailed', amount: 10_000, reason: 'card_declined' },
      ]);
    });

    it('records an unavailable provider (tok_error) as a ledger row only; the payment stays PENDING', async () => {
      const i = await instance();
      const opened = await open(i, 'tok_error');
      const outcome = await i.payments.requestAuthorization(opened.orderId);
      expect(outcome).toMatchObject({ result: 'unavailable', reason: 'provider_error' });
      expect(i.provider.calls.authorize).toBe(3); // retried, then given up
      const view = await i.inTx((tx) => i.payments.recordAuthorization(outcome, tx));
      await i.inTx((tx) => i.payments.recordAuthorization(outcome, tx));
      expect(view.status).toBe('PENDING');
      expect(await ledger(i, opened.id)).toEqual(['authorize unavailable 10000 <id>:authorize']);
      expect(await events(i, opened.id)).toEqual([]);
    });

    it('a retried authorization after a lost answer authorizes once at the provider, across a restart', async () => {
      const provider = new FakePaymentProvider({ webhookSecret: 'int-test-secret-0123' });
      const before = await instance(provider);
      const opened = await open(before, 'tok_visa', 7_700);
      // the provider authorizes, and every answer (the first attempt's and both retries') is lost
      provider.failNext(3, 'lost_response', 'authorize');
      const lost = await before.payments.requestAuthorization(opened.orderId);
      expect(lost.result).toBe('unavailable');
      await before.inTx((tx) => before.payments.recordAuthorization(lost, tx));
      expect(provider.authorizationsFor(opened.orderId)).toHaveLength(1);

      // a new instance on the same database (the process restarted), the same external provider
      const after = await instance(provider);
      const retried = await after.payments.requestAuthorization(opened.orderId);
      expect(retried).toMatchObject({
        result: 'authorized',
        providerRef: provider.authorizationsFor(opened.orderId)[0]!.reference,
      });
      const view = await after.inTx((tx) => after.payments.recordAuthorization(retried, tx));
      expect(view.status).toBe('AUTHORIZED');
      expect(provider.authorizationsFor(opened.orderId)).toHaveLength(1);
      expect(
        provider.operations.filter((o) => o.kind === 'authorize' && o.outcome === 'authorized'),
      ).toHaveLength(1);
      expect(await ledger(after, opened.id)).toEqual([
        'authorize unavailable 7700 <id>:authorize',
        'authorize succeeded 7700 <id>:authorize',
      ]);
    });

    it('one lost answer is absorbed by the retry: authorized, once', async () => {
      const i = await instance();
      const opened = await open(i);
      i.provider.failNext(1, 'lost_response', 'authorize');
      await expect(i.payments.requestAuthorization(opened.orderId)).resolves.toMatchObject({
        result: 'authorized',
      });
      expect(i.provider.authorizationsFor(opened.orderId)).toHaveLength(1);
    });
  });

  describe('capture', () => {
    it('captures an authorized payment once, with PaymentCaptured; again it is returned as it is', async () => {
      const i = await instance();
      const view = await authorized(i, 5_000);
      const done = await i.payments.capture(view.orderId);
      expect(done).toMatchObject({ status: 'CAPTURED', captured: { amount: 5_000, currency: 'EUR' } });
      const calls = i.provider.calls.capture;
      await expect(i.payments.capture(view.orderId)).resolves.toEqual(done);
      expect(i.provider.calls.capture).toBe(calls);
      expect((await events(i, view.id)).map((e) => `${e.type} ${e.amount}`)).toEqual([
        'PaymentAuthorized 5000',
        'PaymentCaptured 5000',
      ]);
      expect(
        i.provider.authorization(i.provider.authorizationsFor(view.orderId)[0]!.reference),
      ).toMatchObject({
        status: 'captured',
        captured: 5_000,
      });
    });

    it('is 409 unless AUTHORIZED, 404 without a payment, and 503 (nothing captured) while the provider is down', async () => {
      const i = await instance();
      const pending = await open(i);
      expect(await codeOf(i.payments.capture(pending.orderId))).toBe('ILLEGAL_STATE_TRANSITION');
      expect(await codeOf(i.payments.capture(newId()))).toBe('NOT_FOUND');
      const view = await authorized(i);
      i.provider.setOutage(true);
      expect(await codeOf(i.payments.capture(view.orderId))).toBe('UNAVAILABLE');
      expect((await i.payments.viewsOf([view.orderId])).get(view.orderId)).toMatchObject({
        status: 'AUTHORIZED',
        captured: { amount: 0 },
      });
      i.provider.setOutage(false);
      await expect(i.payments.capture(view.orderId)).resolves.toMatchObject({ status: 'CAPTURED' });
      expect(await ledger(i, view.id)).toEqual([
        'authorize succeeded 10000 <id>:authorize',
        'capture unavailable 10000 <id>:capture',
        'capture succeeded 10000 <id>:capture',
      ]);
    });
  });

  describe('cancel and settle', () => {
    it('voids an authorized payment: VOID_PENDING in the caller’s transaction, VOIDED by settle, once', async () => {
      const i = await instance();
      const view = await authorized(i);
      const cancelled = await i.inTx((tx) => i.payments.cancel(view.orderId, 'customer cancelled', tx));
      expect(cancelled?.status).toBe('VOID_PENDING');
      expect(i.provider.calls.void).toBe(0); // nothing at the provider inside the transaction
      const settled = await i.payments.settle(view.orderId);
      expect(settled?.status).toBe('VOIDED');
      await i.payments.settle(view.orderId);
      expect(i.provider.calls.void).toBe(1);
      expect(i.provider.authorizationsFor(view.orderId)[0]?.status).toBe('voided');
      expect((await events(i, view.id)).at(-1)).toMatchObject({
        type: 'PaymentVoided',
        amount: 10_000,
        reason: 'customer cancelled',
      });
      expect(await i.inTx((tx) => i.payments.cancel(newId(), 'no payment', tx))).toBeNull();
    });

    it('voids what a lost answer left at the provider when a PENDING payment is cancelled', async () => {
      const i = await instance();
      const opened = await open(i);
      i.provider.failNext(3, 'lost_response', 'authorize');
      expect((await i.payments.requestAuthorization(opened.orderId)).result).toBe('unavailable');
      await i.inTx((tx) => i.payments.cancel(opened.orderId, 'reservation expired', tx));
      const settled = await i.payments.settle(opened.orderId);
      expect(settled).toMatchObject({ status: 'VOIDED', brand: 'visa', authorized: { amount: 10_000 } });
      expect(i.provider.authorizationsFor(opened.orderId).map((a) => a.status)).toEqual(['voided']);
      expect(await codeOf(i.payments.requestAuthorization(opened.orderId))).toBe('ILLEGAL_STATE_TRANSITION');
    });

    it('closes a PENDING payment with nothing at the provider as VOIDED of 0', async () => {
      const i = await instance();
      const opened = await open(i);
      await i.inTx((tx) => i.payments.cancel(opened.orderId, 'reservation expired', tx));
      await expect(i.payments.settle(opened.orderId)).resolves.toMatchObject({ status: 'VOIDED' });
      expect(await events(i, opened.id)).toMatchObject([{ type: 'PaymentVoided', amount: 0 }]);
      expect(i.provider.calls.void).toBe(0);
    });

    it('refunds a captured payment in full when its order is cancelled', async () => {
      const i = await instance();
      const view = await captured(i, 3_000);
      await i.payments.refund(view.orderId, { amount: 1_000, reason: 'one item' });
      await i.inTx((tx) => i.payments.cancel(view.orderId, 'returned', tx));
      const settled = await i.payments.settle(view.orderId);
      expect(settled).toMatchObject({ status: 'REFUNDED', refunded: { amount: 3_000 } });
      expect(
        i.provider.authorization(i.provider.authorizationsFor(view.orderId)[0]!.reference)?.refunded,
      ).toBe(3_000);
    });

    it('leaves the calls due while the provider is down; the worker makes them once it is back', async () => {
      const i = await instance();
      const voidMe = await authorized(i);
      const refundMe = await captured(i, 2_000);
      await i.inTx(async (tx) => {
        await i.payments.cancel(voidMe.orderId, 'cancelled', tx);
        await i.payments.cancel(refundMe.orderId, 'cancelled', tx);
      });
      i.provider.setOutage(true);
      await expect(i.payments.settle(voidMe.orderId)).resolves.toMatchObject({ status: 'VOID_PENDING' });
      await expect(i.payments.settle(refundMe.orderId)).resolves.toMatchObject({
        status: 'VOID_PENDING',
        refunded: { amount: 0 },
      });
      i.provider.setOutage(false);
      const pass = await i.services.settleDue();
      expect(pass.settled).toEqual(expect.arrayContaining([voidMe.orderId, refundMe.orderId]));
      const views = await i.payments.viewsOf([voidMe.orderId, refundMe.orderId]);
      expect(views.get(voidMe.orderId)?.status).toBe('VOIDED');
      expect(views.get(refundMe.orderId)).toMatchObject({ status: 'REFUNDED', refunded: { amount: 2_000 } });
      expect((await i.services.settleDue()).settled).not.toContain(voidMe.orderId);
    });
  });

  describe('refunds', () => {
    it('a partial then a full refund add up exactly to the capture', async () => {
      const i = await instance();
      const view = await captured(i, 10_000);
      await expect(
        i.payments.refund(view.orderId, { amount: 3_333, reason: 'damaged' }),
      ).resolves.toMatchObject({
        status: 'PARTIALLY_REFUNDED',
        refunded: { amount: 3_333 },
      });
      await expect(i.payments.refund(view.orderId, { reason: 'the rest' })).resolves.toMatchObject({
        status: 'REFUNDED',
        refunded: { amount: 10_000 },
      });
      expect(
        (await events(i, view.id))
          .filter((e) => e.type === 'PaymentRefunded')
          .map((e) => [e.amount, e.reason]),
      ).toEqual([
        [3_333, 'damaged'],
        [6_667, 'the rest'],
      ]);
      expect(
        i.provider.authorization(i.provider.authorizationsFor(view.orderId)[0]!.reference)?.refunded,
      ).toBe(10_000);
      expect(await codeOf(i.payments.refund(view.orderId, { reason: 'more' }))).toBe('CONFLICT');
      // the unlocked read (payment and refunds in one statement) restores what the locking read does
      const [unlocked, listed, locked] = await i.ds.transaction(async (m) => {
        const repo = new TypeOrmPaymentRepository(m);
        return [
          await repo.findByOrder(view.orderId),
          (await repo.listByOrders([view.orderId, newId()]))[0],
          await repo.lockByOrder(view.orderId),
        ];
      });
      expect(unlocked?.snapshot().refunds).toHaveLength(2);
      expect(unlocked?.snapshot()).toEqual(locked?.snapshot());
      expect(listed?.snapshot()).toEqual(locked?.snapshot());
    });

    it('is 409 CONFLICT above captured − refunded, or with nothing captured', async () => {
      const i = await instance();
      const view = await captured(i, 1_000);
      expect(await codeOf(i.payments.refund(view.orderId, { amount: 1_001, reason: 'too much' }))).toBe(
        'CONFLICT',
      );
      await i.payments.refund(view.orderId, { amount: 600, reason: 'part' });
      expect(await codeOf(i.payments.refund(view.orderId, { amount: 401, reason: 'too much' }))).toBe(
        'CONFLICT',
      );
      const notCaptured = await authorized(i);
      expect(await codeOf(i.payments.refund(notCaptured.orderId, { amount: 1, reason: 'x' }))).toBe(
        'CONFLICT',
      );
      expect(await codeOf(i.payments.refund(view.orderId, { amount: 0, reason: 'x' }))).toBe(
        'VALIDATION_FAILED',
      );
      expect(await codeOf(i.payments.refund(view.orderId, { amount: 1, reason: ' ' }))).toBe(
        'VALIDATION_FAILED',
      );
    });

    it('20 concurrent refunds of 10 on a capture of 100: exactly 10 succeed, 100 refunded, the rest 409', async () => {
      const i = await instance();
      const view = await captured(i, 100);
      const results = await Promise.all(
        Array.from({ length: 20 }, (_, n) =>
          codeOf(i.payments.refund(view.orderId, { amount: 10, reason: `r${n}` })),
        ),
      );
      expect(results.filter((r) => r === 'ok')).toHaveLength(10);
      expect(results.filter((r) => r === 'CONFLICT')).toHaveLength(10);
      expect((await i.payments.viewsOf([view.orderId])).get(view.orderId)).toMatchObject({
        status: 'REFUNDED',
        refunded: { amount: 100 },
      });
      const auth = i.provider.authorization(i.provider.authorizationsFor(view.orderId)[0]!.reference);
      expect(auth?.refunded).toBe(100);
      expect(
        i.provider.operations.filter((o) => o.kind === 'refund' && o.outcome === 'refunded'),
      ).toHaveLength(10);
      const [{ n, sum }] = await i.ds.query(
        `SELECT count(*)::int AS n, sum(amount)::int AS sum FROM payment_refunds WHERE payment_id = $1 AND status = 'succeeded'`,
        [view.id],
      );
      expect([n, sum]).toEqual([10, 100]);
      expect((await events(i, view.id)).filter((e) => e.type === 'PaymentRefunded')).toHaveLength(10);
    });

    it('is 503 UNAVAILABLE with nothing refunded while the provider is down, and the amount stays refundable', async () => {
      const i = await instance();
      const view = await captured(i, 5_000);
      i.provider.setOutage(true);
      expect(await codeOf(i.payments.refund(view.orderId, { amount: 2_000, reason: 'down' }))).toBe(
        'UNAVAILABLE',
      );
      expect((await i.payments.viewsOf([view.orderId])).get(view.orderId)).toMatchObject({
        status: 'CAPTURED',
        refunded: { amount: 0 },
      });
      expect(i.provider.operations.filter((o) => o.kind === 'refund')).toEqual([]);
      expect(await events(i, view.id)).not.toContainEqual(
        expect.objectContaining({ type: 'PaymentRefunded' }),
      );
      const [{ pending }] = await i.ds.query(
        `SELECT count(*)::int AS pending FROM payment_refunds WHERE payment_id = $1 AND status = 'pending'`,
        [view.id],
      );
      expect(pending).toBe(0);
      i.provider.setOutage(false);
      await expect(i.payments.refund(view.orderId, { reason: 'all of it' })).resolves.toMatchObject({
        status: 'REFUNDED',
        refunded: { amount: 5_000 },
      });
    });
  });

  it('never calls the provider from inside a database transaction', async () => {
    const i = await instance();
    const view = await authorized(i);
    const calls = { ...i.provider.calls };
    const inside: (() => Promise<unknown>)[] = [
      () => i.payments.requestAuthorization(view.orderId),
      () => i.payments.capture(view.orderId),
      () => i.payments.settle(view.orderId),
      () => i.payments.refund(view.orderId, { amount: 1, reason: 'inside' }),
    ];
    for (const call of inside) {
      await expect(i.inTx(() => call())).rejects.toThrow(/transaction/);
    }
    expect(i.provider.calls).toEqual(calls);
  });

  describe('views', () => {
    it('reads the payments of orders outside a transaction or on the caller’s', async () => {
      const i = await instance();
      const a = await authorized(i, 111);
      const b = await open(i, 'tok_visa', 222);
      const outside = await i.payments.viewsOf([a.orderId, b.orderId, newId(), 'not-a-uuid']);
      expect([...outside.keys()].sort()).toEqual([a.orderId, b.orderId].sort());
      const inside = await i.inTx((tx) => i.payments.viewsOf([a.orderId], tx));
      expect(inside.get(a.orderId)).toMatchObject({
        status: 'AUTHORIZED',
        amount: { amount: 111, currency: 'EUR' },
      });
    });
  });

  it('uses the event types of docs/product/events.md', () => {
    expect(Object.values(PaymentEventTypes)).toEqual([
      'shopcore.payments.PaymentAuthorized.v1',
      'shopcore.payments.PaymentCaptured.v1',
      'shopcore.payments.PaymentCaptureFailed.v1',
      'shopcore.payments.PaymentFailed.v1',
      'shopcore.payments.PaymentVoided.v1',
      'shopcore.payments.PaymentRefunded.v1',
    ]);
  });
});
