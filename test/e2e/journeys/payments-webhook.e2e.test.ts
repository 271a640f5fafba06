import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  fakeWebhookSignature,
  signFakeWebhook,
} from '../../../src/payments/adapters/providers/fake-webhook.format.js';
import { FakePaymentProvider } from '../../../src/payments/payments.plugin.js';
import { DEV_FAKE_PSP_WEBHOOK_SECRET } from '../../../src/platform/config/config.js';
import { asHandle } from '../../../src/platform/db/typeorm-unit-of-work.js';
import type { TransactionHandle } from '../../../src/platform/db/unit-of-work.js';
import { newId } from '../../../src/platform/ids.js';
import { startTestApp, type TestApp } from '../../support/app.js';
import { missing } from '../../support/skip.js';

const URL = '/api/v1/payments/webhooks/fake';

/**
 * `POST /api/v1/payments/webhooks/:provider` through the whole app: the fake provider's signature
 * (HMAC-SHA256 of the raw body) is checked before anything else, a replayed event has no effect, and
 * what the provider did on its side (a refund from its dashboard, a capture) is reconciled once.
 */
describe.skipIf(missing('postgres'))('payment provider webhooks', () => {
  let t: TestApp;
  const provider = new FakePaymentProvider({ webhookSecret: 'e2e-webhook-secret-0123456789' });

  beforeAll(async () => {
    t = await startTestApp({}, { contexts: { payments: { provider, settleIntervalMs: 60_000 } } });
  });
  afterAll(async () => {
    await t?.close();
  });

  const payments = () => t.runtime.modules.payments.facade;
  const inTx = <T>(work: (tx: TransactionHandle) => Promise<T>) =>
    t.runtime.platform.dataSource.transaction((m) => work(asHandle(m)));

  /** A captured payment of a new order (the facade, as checkout and fulfilment will drive it). */
  const capturedPayment = async (amount = 10_000) => {
    const orderId = newId();
    await inTx((tx) => payments().open({ orderId, amount, currency: 'EUR', token: 'tok_visa' }, tx));
    const outcome = await payments().requestAuthorization(orderId);
    if (outcome.result !== 'authorized') throw new Error(`not authorized: ${outcome.result}`);
    await inTx((tx) => payments().recordAuthorization(outcome, tx));
    const view = await payments().capture(orderId);
    return { ...view, reference: outcome.providerRef };
  };
  const viewOf = async (orderId: string) => (await payments().viewsOf([orderId])).get(orderId)!;
  const post = (body: string, headers: Record<string, string>, url = URL) =>
    t.app.inject({ method: 'POST', url, payload: body, headers });
  const refundEvents = async (paymentId: string) =>
    (
      await t.runtime.platform.dataSource.query(
        `SELECT data FROM outbox WHERE subject = $1 AND type = 'shopcore.payments.PaymentRefunded.v1'`,
        [paymentId],
      )
    ).map((r: { data: { amount: number } }) => r.data.amount);

  it('refuses a missing or bad signature with 401 UNAUTHENTICATED problem+json, with no effect', async () => {
    const payment = await capturedPayment();
    const hook = provider.dashboardRefund(payment.reference, 1_000);
    const unsigned = await post(hook.body, { 'content-type': 'application/json' });
    expect(unsigned.statusCode).toBe(401);
    expect(unsigned.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(unsigned.json()).toMatchObject({ status: 401, code: 'UNAUTHENTICATED' });
    const wrongKey = await post(hook.body, {
      ...hook.headers,
      'x-fake-signature': fakeWebhookSignature('not-the-provider-secret', hook.body),
    });
    expect(wrongKey.statusCode).toBe(401);
    const tampered = await post(hook.body.replace('"amount":1000', '"amount":9000'), hook.headers);
    expect(tampered.statusCode).toBe(401);
    const garbage = await post('{"id":', { ...hook.headers, 'x-fake-signature': 'sha256=00' });
    expect(garbage.statusCode).toBe(401);
    expect((await viewOf(payment.orderId)).refunded.amount).toBe(0);
  });

  it('reconciles a refund made at the provider (200 applied), and a replay of it is 200 with no effect', async () => {
    const payment = await capturedPayment(10_000);
    const hook = provider.dashboardRefund(payment.reference, 2_500, 'goodwill');
    const first = await post(hook.body, hook.headers);
    expect(first.statusCode).toBe(200);
    expect(first.json()).toEqual({ received: true, eventId: hook.event.id, outcome: 'applied' });
    expect(await viewOf(payment.orderId)).toMatchObject({
      status: 'PARTIALLY_REFUNDED',
      refunded: { amount: 2_500 },
    });

    const replays = await Promise.all(Array.from({ length: 5 }, () => post(hook.body, hook.headers)));
    expect(replays.map((r) => r.statusCode)).toEqual([200, 200, 200, 200, 200]);
    expect(replays.map((r) => r.json().outcome)).toEqual([
      'duplicate',
      'duplicate',
      'duplicate',
      'duplicate',
      'duplicate',
    ]);
    expect(await viewOf(payment.orderId)).toMatchObject({ refunded: { amount: 2_500 } });
    expect(await refundEvents(payment.id)).toEqual([2_500]);

    // our own refund, announced by the provider too, counts once (known by its reference)
    await payments().refund(payment.orderId, { amount: 500, reason: 'ours' });
    const ours = provider.authorization(payment.reference)!.refunds.at(-1)!;
    const announced = provider.announceRefund(ours.reference);
    expect((await post(announced.body, announced.headers)).json().outcome).toBe('ignored');
    expect(await viewOf(payment.orderId)).toMatchObject({ refunded: { amount: 3_000 } });
    expect(await refundEvents(payment.id)).toEqual([2_500, 500]);
  });

  it('concurrent deliveries of one event apply it once', async () => {
    const payment = await capturedPayment(10_000);
    const hook = provider.dashboardRefund(payment.reference, 10_000);
    const results = await Promise.all(Array.from({ length: 8 }, () => post(hook.body, hook.headers)));
    expect(results.every((r) => r.statusCode === 200)).toBe(true);
    expect(results.filter((r) => r.json().outcome === 'applied')).toHaveLength(1);
    expect(await viewOf(payment.orderId)).toMatchObject({ status: 'REFUNDED', refunded: { amount: 10_000 } });
  });

  it('reconciles a capture made at the provider', async () => {
    const orderId = newId();
    await inTx((tx) =>
      payments().open({ orderId, amount: 4_000, currency: 'EUR', token: 'tok_mastercard' }, tx),
    );
    const outcome = await payments().requestAuthorization(orderId);
    if (outcome.result !== 'authorized') throw new Error('not authorized');
    await inTx((tx) => payments().recordAuthorization(outcome, tx));
    const hook = provider.dashboardCapture(outcome.providerRef);
    expect((await post(hook.body, hook.headers)).json().outcome).toBe('applied');
    expect(await viewOf(orderId)).toMatchObject({ status: 'CAPTURED', captured: { amount: 4_000 } });
    await expect(payments().capture(orderId)).resolves.toMatchObject({ status: 'CAPTURED' });
  });

  it('acknowledges events it does not act on, and events of payments it does not know', async () => {
    const other = provider.signWebhook({
      id: `evt_${newId()}`,
      type: 'payment.disputed',
      created: new Date().toISOString(),
      data: { reference: 'fake_auth_unknown' },
    });
    expect((await post(other.body, other.headers)).json()).toMatchObject({ outcome: 'ignored' });
    const unknown = provider.signWebhook({
      id: `evt_${newId()}`,
      type: 'payment.voided',
      created: new Date().toISOString(),
      data: { reference: 'fake_auth_unknown' },
    });
    expect((await post(unknown.body, unknown.headers)).json()).toMatchObject({ outcome: 'ignored' });
  });

  it('404 for an unknown provider; 400 for a signed body that is not an event; 415 for another media type', async () => {
    const hook = provider.signWebhook({
      id: 'evt_x1',
      type: 'payment.voided',
      created: new Date().toISOString(),
    });
    const unknown = await post(hook.body, hook.headers, '/api/v1/payments/webhooks/acme');
    expect(unknown.statusCode).toBe(404);
    expect(unknown.json()).toMatchObject({ code: 'NOT_FOUND' });
    const incomplete = await post(hook.body, hook.headers);
    expect(incomplete.statusCode).toBe(400);
    expect(incomplete.json()).toMatchObject({ code: 'VALIDATION_FAILED' });
    const notJson = 'not json at all';
    const signedGarbage = await post(notJson, {
      'content-type': 'application/json',
      'x-fake-signature': provider.signWebhook({
        id: 'evt_x',
        type: 'a.b',
        created: new Date().toISOString(),
      }).headers['x-fake-signature'],
    });
    expect(signedGarbage.statusCode).toBe(401);
    const text = await post(hook.body, { ...hook.headers, 'content-type': 'text/plain' });
    expect(text.statusCode).toBe(415);
  });

  it('counts webhooks and exports the breaker state', async () => {
    const metrics = (await t.app.inject({ method: 'GET', url: '/metrics' })).body;
    expect(metrics).toMatch(/payment_webhooks_total\{provider="fake",outcome="applied"\} [1-9]/);
    expect(metrics).toMatch(/payment_webhooks_total\{provider="fake",outcome="unauthenticated"\} [1-9]/);
    expect(metrics).toMatch(/payment_webhooks_total\{provider="fake",outcome="duplicate"\} [1-9]/);
    expect(metrics).toMatch(/payment_provider_circuit_state\{provider="fake"\} 0/);
    expect(metrics).toMatch(/payment_operations_total\{operation="capture",result="succeeded"\} [1-9]/);
    expect(metrics).toMatch(
      /payment_provider_call_duration_seconds_count\{operation="authorize",outcome="success"\} [1-9]/,
    );
  });
});

describe.skipIf(missing('postgres'))('payment webhooks of the configured fake provider', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(async () => {
    await t?.close();
  });

  it('verifies with FAKE_PSP_WEBHOOK_SECRET (the development key when unset)', async () => {
    const event = {
      id: `evt_${newId()}`,
      type: 'payment.voided',
      created: new Date().toISOString(),
      data: { reference: 'fake_auth_none' },
    };
    const signed = signFakeWebhook(DEV_FAKE_PSP_WEBHOOK_SECRET, event);
    const res = await t.app.inject({
      method: 'POST',
      url: URL,
      payload: signed.body,
      headers: signed.headers,
    });
    expect(res.statusCode).toBe(200);
    const other = signFakeWebhook('some-other-secret-0123', event);
    expect(
      (await t.app.inject({ method: 'POST', url: URL, payload: other.body, headers: other.headers }))
        .statusCode,
    ).toBe(401);
  });
});
