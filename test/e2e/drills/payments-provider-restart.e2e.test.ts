import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakePaymentProvider } from '../../../src/payments/payments.plugin.js';
import { asHandle } from '../../../src/platform/db/typeorm-unit-of-work.js';
import type { TransactionHandle } from '../../../src/platform/db/unit-of-work.js';
import { newId } from '../../../src/platform/ids.js';
import { startTestApp, type TestApp } from '../../support/app.js';
import { createTestDatabase, type TestDatabase } from '../../support/database.js';
import { missing } from '../../support/skip.js';
import { waitFor } from '../../support/wait.js';

/**
 * Whole app instances restarted on one database with one "external" fake provider injected into each
 * (`startTestApp(env, { db, contexts: { payments: { provider } } })`): an authorization whose answers
 * were lost before the restart is authorized once, and a void left due by an outage is made by the
 * payments worker of the next instance.
 */
describe.skipIf(missing('postgres'))('payments across app restarts (one external provider)', () => {
  let db: TestDatabase;
  const provider = new FakePaymentProvider({ webhookSecret: 'restart-test-secret-0123' });
  let current: TestApp | undefined;

  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(async () => {
    await current?.close();
    await db?.drop();
  });

  const start = async (settle?: { settleIntervalMs: number; settleAfterMs: number }) => {
    await current?.close();
    current = await startTestApp({}, { db, contexts: { payments: { provider, ...settle } } });
    return current;
  };
  const inTx = <T>(t: TestApp, work: (tx: TransactionHandle) => Promise<T>) =>
    t.runtime.platform.dataSource.transaction((m) => work(asHandle(m)));

  it('authorizes once at the provider when the answer was lost before a restart', async () => {
    const first = await start();
    expect(first.runtime.modules.payments.provider).toBe(provider);
    const orderId = newId();
    await inTx(first, (tx) =>
      first.runtime.modules.payments.facade.open(
        { orderId, amount: 1_999, currency: 'EUR', token: 'tok_visa' },
        tx,
      ),
    );
    provider.failNext(3, 'lost_response', 'authorize');
    const lost = await first.runtime.modules.payments.facade.requestAuthorization(orderId);
    expect(lost.result).toBe('unavailable');

    const second = await start();
    const outcome = await second.runtime.modules.payments.facade.requestAuthorization(orderId);
    expect(outcome.result).toBe('authorized');
    const view = await inTx(second, (tx) =>
      second.runtime.modules.payments.facade.recordAuthorization(outcome, tx),
    );
    expect(view).toMatchObject({ status: 'AUTHORIZED', brand: 'visa', last4: '4242' });
    expect(provider.authorizationsFor(orderId)).toHaveLength(1);
  });

  it('the payments worker of the next instance makes the void an outage left due', async () => {
    const first = await start();
    const payments = first.runtime.modules.payments.facade;
    const orderId = newId();
    await inTx(first, (tx) =>
      payments.open({ orderId, amount: 500, currency: 'EUR', token: 'tok_mastercard' }, tx),
    );
    const outcome = await payments.requestAuthorization(orderId);
    await inTx(first, async (tx) => {
      await payments.recordAuthorization(outcome, tx);
    });
    await inTx(first, (tx) => payments.cancel(orderId, 'customer cancelled', tx));
    provider.setOutage(true);
    await expect(payments.settle(orderId)).resolves.toMatchObject({ status: 'VOID_PENDING' });
    provider.setOutage(false);

    const second = await start({ settleIntervalMs: 50, settleAfterMs: 0 });
    await waitFor(
      'the worker to void the payment',
      async () =>
        (await second.runtime.modules.payments.facade.viewsOf([orderId])).get(orderId)?.status === 'VOIDED',
      10_000,
    );
    expect(provider.authorizationsFor(orderId).map((a) => a.status)).toEqual(['voided']);
  });
});
