import type { DataSource } from 'typeorm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RefundRequest } from '../../src/payments/contract.js';
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
 * `requestRefund` and `refundsOf` (returns' refund of a receipt) against a real Postgres, on a pool of
 * ten (guarded: a checkout from inside a transaction fails), with the shipped fake provider: the
 * reservation under the payment's row lock inside the caller's transaction, the provider call after
 * its commit (settle) or by the worker, refusals released with their reason.
 */
describe.skipIf(missing('postgres'))(
  'payments: refunds requested inside a caller’s transaction (Postgres)',
  () => {
    let db: TestDatabase;
    const sources: DataSource[] = [];

    beforeAll(async () => {
      db = await createTestDatabase();
    });
    afterAll(async () => {
      await Promise.all(sources.map((s) => s.destroy()));
      await db?.drop();
    });

    const instance = async () => {
      const ds = createDataSource({ url: db.url, poolSize: 10, entities: PAYMENTS_ENTITIES });
      await ds.initialize();
      sources.push(ds);
      const provider = new FakePaymentProvider({ webhookSecret: 'int-test-secret-0123' });
      const services = createPaymentsServices({
        dataSource: ds,
        region: 'eu',
        clock: systemClock,
        provider,
        resilience: { baseDelayMs: 1, maxDelayMs: 2 },
        settleAfterMs: 0,
      });
      const inTx = <T>(work: (tx: TransactionHandle) => Promise<T>) =>
        ds.transaction((m) => work(asHandle(m)));
      return { ds, provider, services, payments: services.facade, inTx };
    };
    type Instance = Awaited<ReturnType<typeof instance>>;

    const authorized = async (i: Instance, amount: number) => {
      const orderId = newId();
      await i.inTx((tx) => i.payments.open({ orderId, amount, currency: 'EUR', token: 'tok_visa' }, tx));
      const outcome = await i.payments.requestAuthorization(orderId);
      expect(outcome.result).toBe('authorized');
      return i.inTx((tx) => i.payments.recordAuthorization(outcome, tx));
    };
    const captured = async (i: Instance, amount = 10_000) =>
      i.payments.capture((await authorized(i, amount)).orderId);

    const request = (i: Instance, orderId: string, refundId: string, amount: number, reason = 'return R1') =>
      i.inTx((tx) => i.payments.requestRefund(orderId, { refundId, amount, reason }, tx));

    /** What the payment's refunds hold, by status (from the table itself). */
    const refundRows = async (i: Instance, paymentId: string) =>
      (await i.ds.query(
        `SELECT status, count(*)::int AS n, sum(amount)::int AS sum FROM payment_refunds
       WHERE payment_id = $1 GROUP BY status`,
        [paymentId],
      )) as { status: string; n: number; sum: number }[];
    const held = async (i: Instance, paymentId: string) =>
      (await refundRows(i, paymentId))
        .filter((r) => r.status === 'pending' || r.status === 'succeeded')
        .reduce((sum, r) => sum + r.sum, 0);

    it('100 concurrent requests of 10 % each on a pool of 10 never reserve more than was captured; the ten reserved are made once each', async () => {
      const i = await instance();
      const payment = await captured(i, 10_000);
      const ids = Array.from({ length: 100 }, () => newId());
      let most = 0;
      let sampling = true;
      const sampler = (async () => {
        while (sampling) {
          most = Math.max(most, await held(i, payment.id));
          await new Promise((r) => setTimeout(r, 5));
        }
      })();
      const answers = await Promise.all(ids.map((id) => request(i, payment.orderId, id, 1_000)));
      sampling = false;
      await sampler;
      await i.services.drain();

      const reserved = answers.filter(
        (a): a is Extract<RefundRequest, { outcome: 'reserved' }> => a.outcome === 'reserved',
      );
      expect(reserved).toHaveLength(10);
      expect(answers.filter((a) => a.outcome === 'nothing_refundable')).toHaveLength(90);
      expect(reserved.reduce((sum, a) => sum + a.refund.amount.amount, 0)).toBe(10_000);
      expect(most).toBeLessThanOrEqual(10_000);
      expect(await held(i, payment.id)).toBe(10_000);
      expect(await refundRows(i, payment.id)).toEqual([{ status: 'succeeded', n: 10, sum: 10_000 }]);

      const view = (await i.payments.viewsOf([payment.orderId])).get(payment.orderId);
      expect(view).toMatchObject({ status: 'REFUNDED', refunded: { amount: 10_000 } });
      const auth = i.provider.authorization(i.provider.authorizationsFor(payment.orderId)[0]!.reference);
      expect(auth?.refunded).toBe(10_000);
      const made = i.provider.operations.filter((o) => o.kind === 'refund' && o.outcome === 'refunded');
      expect(made.map((o) => o.idempotencyKey).sort()).toEqual(reserved.map((a) => a.refund.id).sort());

      // each PaymentRefunded names the refund it reports
      const events = (await i.ds.query(
        `SELECT data FROM outbox WHERE subject = $1 AND type = 'shopcore.payments.PaymentRefunded.v1'`,
        [payment.id],
      )) as { data: { refundId: string; amount: number } }[];
      expect(events.map((e) => e.data.refundId).sort()).toEqual(reserved.map((a) => a.refund.id).sort());
      const views = await i.payments.refundsOf(ids);
      expect([...views.values()].map((v) => v.status)).toEqual(Array(10).fill('succeeded'));
    });

    it('the same refundId twice, even at once, reserves once and is made once', async () => {
      const i = await instance();
      const payment = await captured(i, 10_000);
      const refundId = newId();
      const [a, b] = await Promise.all([
        request(i, payment.orderId, refundId, 2_000),
        request(i, payment.orderId, refundId, 2_000),
      ]);
      expect(a).toMatchObject({ outcome: 'reserved', refund: { id: refundId, amount: { amount: 2_000 } } });
      expect(b).toMatchObject({ outcome: 'reserved', refund: { id: refundId, amount: { amount: 2_000 } } });
      await i.services.drain();
      expect(await request(i, payment.orderId, refundId, 2_000)).toMatchObject({
        outcome: 'reserved',
        refund: { id: refundId, status: 'succeeded' },
      });
      expect(await refundRows(i, payment.id)).toEqual([{ status: 'succeeded', n: 1, sum: 2_000 }]);
      expect(
        i.provider.operations.filter((o) => o.kind === 'refund' && o.outcome === 'refunded'),
      ).toHaveLength(1);
    });

    it('reserves inside the caller’s transaction: rolled back, nothing is reserved and the provider is not asked', async () => {
      const i = await instance();
      const payment = await captured(i, 5_000);
      const refundId = newId();
      await expect(
        i.inTx(async (tx) => {
          const answer = await i.payments.requestRefund(
            payment.orderId,
            { refundId, amount: 1_000, reason: 'return R1' },
            tx,
          );
          expect(answer.outcome).toBe('reserved');
          // the caller reads it back on its transaction
          expect((await i.payments.refundsOf([refundId], tx)).get(refundId)?.status).toBe('pending');
          throw new Error('the receipt failed later');
        }),
      ).rejects.toThrow('the receipt failed later');
      await i.services.drain();
      expect(await refundRows(i, payment.id)).toEqual([]);
      expect(await i.payments.refundsOf([refundId])).toEqual(new Map());
      expect(i.provider.calls.refund).toBe(0);
    });

    it('a refusal releases the refund and refundsOf tells why; an outage leaves it pending for the worker', async () => {
      const i = await instance();
      const refused = await captured(i, 10_000);
      // the provider refunded part from its dashboard (no webhook yet): all 10 000 is now too much
      i.provider.dashboardRefund(i.provider.authorizationsFor(refused.orderId)[0]!.reference, 1);
      const refusedId = newId();
      await request(i, refused.orderId, refusedId, 10_000);
      await i.services.drain();

      const waiting = await captured(i, 3_000);
      const waitingId = newId();
      i.provider.setOutage(true);
      await request(i, waiting.orderId, waitingId, 3_000);
      await i.services.drain();

      let views = await i.payments.refundsOf([refusedId, waitingId, newId(), 'not-a-uuid']);
      expect([...views.keys()].sort()).toEqual([refusedId, waitingId].sort());
      expect(views.get(refusedId)).toEqual({
        id: refusedId,
        orderId: refused.orderId,
        amount: { amount: 10_000, currency: 'EUR' },
        status: 'released',
        reason: 'return R1',
        failure: 'rejected: amount_exceeds_refundable',
      });
      expect(views.get(waitingId)).toMatchObject({
        status: 'pending',
        failure: expect.stringMatching(/^unavailable: /),
      });
      expect((await i.payments.viewsOf([refused.orderId])).get(refused.orderId)).toMatchObject({
        status: 'CAPTURED',
        refunded: { amount: 0 },
      });

      i.provider.setOutage(false);
      const pass = await i.services.settleDue();
      expect(pass.settled).toContain(waiting.orderId);
      views = await i.payments.refundsOf([waitingId]);
      expect(views.get(waitingId)).toMatchObject({ status: 'succeeded', failure: null });
      // the released amount is refundable again: a new request reserves what the provider still holds
      expect(await request(i, refused.orderId, newId(), 9_999)).toMatchObject({
        outcome: 'reserved',
        refund: { amount: { amount: 9_999 } },
      });
    });

    it('not_captured before the capture, nothing_refundable once all is refunded, 404 without a payment, 400 on bad input', async () => {
      const i = await instance();
      const notYet = await authorized(i, 1_000);
      expect(await request(i, notYet.orderId, newId(), 100)).toEqual({ outcome: 'not_captured' });
      const payment = await captured(i, 1_000);
      await i.payments.refund(payment.orderId, { reason: 'all of it' });
      expect(await request(i, payment.orderId, newId(), 100)).toEqual({ outcome: 'nothing_refundable' });
      await expect(request(i, newId(), newId(), 100)).rejects.toMatchObject({ code: 'NOT_FOUND' });
      await expect(request(i, payment.orderId, 'r-1', 0, ' ')).rejects.toMatchObject({
        code: 'VALIDATION_FAILED',
        errors: [{ path: 'refundId' }, { path: 'amount' }, { path: 'reason' }],
      });
    });
  },
);
