import { readFileSync } from 'node:fs';
import { Writable } from 'node:stream';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../../support/app.js';
import { checkout, readyCart, registerCustomer, uniqueSku } from '../../support/checkout.js';
import { expectProblem, json, loginAs, shopAdmin } from '../../support/http.js';
import { missing } from '../../support/skip.js';
import { StripeEmulator } from '../../support/stripe-emulator.js';
import { STRIPE_OPENAPI_SLICE } from '../../support/stripe-openapi.js';
import { pollUntil, waitFor } from '../../support/wait.js';

const ADMIN = { email: 'stripe-admin@shop.example', password: 'admin-password-1' };
const SECRET_KEY = `sk_test_emulator${'0123456789abcdef'.repeat(2)}`;
const WEBHOOK_SECRET = 'whsec_emulator0123456789abcdef0123456789';
const WEBHOOK_URL = '/api/v1/payments/webhooks/stripe';
/** each attempt's budget at Stripe: an emulator answer slower than this is a timeout */
const TIMEOUT_MS = 400;

type Json = Record<string, unknown>;

/**
 * Checkout with PAYMENT_PROVIDER=stripe against the Stripe API emulator (test/support/stripe-emulator.ts):
 * the official SDK's requests and the emulator's answers are checked against Stripe's OpenAPI
 * document; approve, decline, 3-D Secure completed by a signed webhook, outage and slow answers
 * completed by the pending-payment worker with one PaymentIntent, capture at dispatch (once, also
 * under 100 concurrent dispatches and a replayed webhook), refunds, and the webhook's signature and
 * once-per-event handling.
 */
describe.skipIf(missing('postgres'))(
  'checkout with the stripe provider (against the Stripe emulator)',
  () => {
    const emulator = new StripeEmulator({
      secretKey: SECRET_KEY,
      webhookSecret: WEBHOOK_SECRET,
    });
    const logs: string[] = [];
    let t: TestApp;
    let admin: Record<string, string>;
    let shop: ReturnType<typeof shopAdmin>;

    beforeAll(async () => {
      await emulator.start();
      t = await startTestApp(
        {
          ADMIN_EMAIL: ADMIN.email,
          ADMIN_PASSWORD: ADMIN.password,
          PAYMENT_PROVIDER: 'stripe',
          STRIPE_SECRET_KEY: SECRET_KEY,
          STRIPE_WEBHOOK_SECRET: WEBHOOK_SECRET,
          STRIPE_API_URL: emulator.url,
          LOG_LEVEL: 'debug',
        },
        {
          logTo: new Writable({
            write(chunk, _enc, done) {
              logs.push(String(chunk));
              done();
            },
          }),
          contexts: {
            // the pending-payment worker runs when a test asks (retryPendingPayments), not on its own:
            // what confirms an order is the webhook or the worker, never a race between them
            checkout: {
              pendingPayments: { intervalMs: 3_600_000, graceMs: 0, baseDelayMs: 1, maxDelayMs: 1 },
            },
            payments: {
              resilience: { timeoutMs: TIMEOUT_MS, baseDelayMs: 5, maxDelayMs: 20, halfOpenAfterMs: 100 },
              settleIntervalMs: 100,
              settleAfterMs: 0,
            },
          },
        },
      );
      admin = await loginAs(t, ADMIN);
      shop = shopAdmin(t, admin);
    });
    afterAll(async () => {
      await t?.close();
      await emulator.close();
    });
    afterEach(() => {
      // every request the SDK sent and every answer the emulator gave fits Stripe's OpenAPI document
      expect(emulator.violations).toEqual([]);
      emulator.outage = false;
      emulator.slowMs = 0;
      emulator.beforeAnswer = null;
    });

    const product = async (amount = 2500, stock = 20) => {
      const sku = uniqueSku('STRIPE');
      await shop.createProduct([sku], { name: 'Stripe thing' });
      await shop.setPrice(sku, amount);
      await shop.addStock(sku, stock);
      return sku;
    };
    const cartOf = async (sku: string, auth?: Record<string, string>) =>
      readyCart(t, { lines: [{ sku, quantity: 1 }], ...(auth ? { auth } : {}) });
    const orderOf = async (id: string) =>
      (await t.app.inject({ method: 'GET', url: `/api/v1/admin/orders/${id}`, headers: admin })).json();
    const intentsOf = (orderId: string) =>
      emulator.createdIntents().filter((i) => (i.metadata as Json).shopcore_order_id === orderId);
    const onlyIntentOf = (orderId: string) => {
      const intents = intentsOf(orderId);
      expect(intents, 'exactly one PaymentIntent').toHaveLength(1);
      return intents[0] as Json & { id: string };
    };
    const postWebhook = (body: string, headers: Record<string, string>) =>
      t.app.inject({ method: 'POST', url: WEBHOOK_URL, payload: body, headers });
    const deliver = async (type: string, object: Json) => {
      const event = emulator.signedEvent(type, object);
      const r = await postWebhook(event.body, event.headers);
      expect(r.statusCode, r.body).toBe(200);
      return { ...event, outcome: r.json().outcome as string };
    };
    const confirmedOrder = async (amount = 2500) => {
      const cartId = await cartOf(await product(amount));
      const r = await checkout(t, cartId, 'pm_card_visa');
      expect(r.statusCode, r.body).toBe(201);
      return r.json() as { id: string; total: { amount: number; currency: string } };
    };

    it('pm_card_visa: 201 CONFIRMED, exactly one PaymentIntent — manual capture, the order’s amount and currency, confirmed with the PaymentMethod, an idempotency key', async () => {
      const cartId = await cartOf(await product(4321));
      const r = await checkout(t, cartId, 'pm_card_visa');
      expect(r.statusCode, r.body).toBe(201);
      const order = r.json();
      expect(order).toMatchObject({ status: 'CONFIRMED', payment: { status: 'AUTHORIZED' } });
      expect(order.payment.authorized).toEqual(order.total);
      expect(order.payment.nextAction).toBeUndefined();
      const intent = onlyIntentOf(order.id);
      expect(intent).toMatchObject({
        status: 'requires_capture',
        capture_method: 'manual',
        amount: order.total.amount,
        currency: order.total.currency.toLowerCase(),
        payment_method: 'pm_card_visa',
      });
      const [created] = emulator
        .calls('POST', '/v1/payment_intents')
        .filter((c) => (c.body.metadata as Json)?.shopcore_order_id === order.id);
      expect(created?.body).toMatchObject({ confirm: 'true', capture_method: 'manual' });
      expect(created?.idempotencyKey).toMatch(/.+:authorize$/);
    });

    it('pm_card_chargeDeclined: 402 PAYMENT_DECLINED with the cart reopened; the same cart then checks out with pm_card_visa (201)', async () => {
      const sku = await product();
      const customer = await registerCustomer(t);
      const cartId = await cartOf(sku, customer.auth);
      const declined = await checkout(t, cartId, 'pm_card_chargeDeclined', { auth: customer.auth });
      const problem = expectProblem(declined, 402, 'PAYMENT_DECLINED') as { orderId?: string };
      expect((await orderOf(problem.orderId ?? '')).status).toBe('CANCELLED');
      const cart = await t.app.inject({
        method: 'GET',
        url: `/api/v1/carts/${cartId}`,
        headers: customer.auth,
      });
      expect(cart.statusCode).toBe(200);
      expect(cart.json().items).toMatchObject([{ sku, quantity: 1 }]);
      const again = await checkout(t, cartId, 'pm_card_visa', { auth: customer.auth });
      expect(again.statusCode, again.body).toBe(201);
      expect(again.json()).toMatchObject({ status: 'CONFIRMED', payment: { brand: 'visa', last4: '4242' } });
    });

    it('3-D Secure: 202 PAYMENT_PENDING with payment.nextAction; the customer answers, Stripe’s signed webhook confirms the order (a replay of it: no effect)', async () => {
      const cartId = await cartOf(await product());
      const r = await checkout(t, cartId, 'pm_card_threeDSecure2Required', { key: `3ds-${cartId}` });
      expect(r.statusCode, r.body).toBe(202);
      const order = r.json();
      // the same Idempotency-Key replays the answer, next action included
      const replayed = await checkout(t, cartId, 'pm_card_threeDSecure2Required', { key: `3ds-${cartId}` });
      expect([replayed.statusCode, replayed.json().payment.nextAction]).toEqual([
        202,
        order.payment.nextAction,
      ]);
      const intent = onlyIntentOf(order.id);
      expect(order).toMatchObject({
        status: 'PAYMENT_PENDING',
        payment: {
          status: 'PENDING',
          nextAction: { type: 'use_stripe_sdk', clientSecret: intent.client_secret },
        },
      });
      // the customer passes 3-D Secure in Stripe.js; Stripe announces the intent is capturable
      const capturable = emulator.completeAction(intent.id);
      const hook = await deliver('payment_intent.amount_capturable_updated', capturable);
      expect(hook.outcome).toBe('applied');
      const confirmed = await orderOf(order.id);
      expect(confirmed).toMatchObject({ status: 'CONFIRMED', payment: { status: 'AUTHORIZED' } });
      const replay = await postWebhook(hook.body, hook.headers);
      expect(replay.statusCode).toBe(200);
      expect(replay.json()).toMatchObject({ eventId: hook.id, outcome: 'duplicate' });
      // another event of the same news (Stripe sends several): the order is confirmed once
      expect((await deliver('payment_intent.amount_capturable_updated', capturable)).outcome).toBe('ignored');
      const history = (await orderOf(order.id)).history.map((h: { status: string }) => h.status);
      expect(history.filter((s: string) => s === 'CONFIRMED')).toHaveLength(1);
      expect(intentsOf(order.id)).toHaveLength(1);
    });

    it('3-D Secure failed: Stripe’s payment_failed webhook cancels the order and reopens the cart', async () => {
      const sku = await product();
      const customer = await registerCustomer(t);
      const cartId = await cartOf(sku, customer.auth);
      const r = await checkout(t, cartId, 'pm_card_authenticationRequired', { auth: customer.auth });
      expect(r.statusCode, r.body).toBe(202);
      const intent = onlyIntentOf(r.json().id);
      const failed = emulator.completeAction(intent.id, false);
      expect((await deliver('payment_intent.payment_failed', failed)).outcome).toBe('applied');
      expect((await orderOf(r.json().id)).status).toBe('CANCELLED');
      const cart = await t.app.inject({
        method: 'GET',
        url: `/api/v1/carts/${cartId}`,
        headers: customer.auth,
      });
      expect(cart.statusCode).toBe(200);
      expect(cart.json().items).toMatchObject([{ sku, quantity: 1 }]);
      // and it checks out again with another card
      const again = await checkout(t, cartId, 'pm_card_visa', { auth: customer.auth });
      expect(again.statusCode, again.body).toBe(201);
    });

    it('3-D Secure never answered: cancelling the order cancels the PaymentIntent at Stripe', async () => {
      const customer = await registerCustomer(t);
      const cartId = await cartOf(await product(), customer.auth);
      const r = await checkout(t, cartId, 'pm_card_threeDSecure2Required', { auth: customer.auth });
      expect(r.statusCode, r.body).toBe(202);
      const intent = onlyIntentOf(r.json().id);
      const cancel = await t.app.inject({
        method: 'POST',
        url: `/api/v1/orders/${r.json().id}/cancel`,
        ...json({ reason: 'changed my mind' }, customer.auth),
      });
      expect(cancel.statusCode, cancel.body).toBe(200);
      await waitFor(
        'the intent cancelled at Stripe',
        async () => emulator.intents.get(intent.id)?.status === 'canceled',
      );
      await waitFor(
        'the payment voided',
        async () => (await orderOf(r.json().id)).payment?.status === 'VOIDED',
      );
    });

    it('3-D Secure never answered: the order is cancelled when its reservation expires, and the PaymentIntent cancelled at Stripe', async () => {
      const sku = await product(2500, 3);
      const r = await checkout(t, await cartOf(sku), 'pm_card_threeDSecure2Required');
      expect(r.statusCode, r.body).toBe(202);
      const id = r.json().id as string;
      const intent = onlyIntentOf(id);
      // the reservation's time is up (RESERVATION_TTL_SECONDS); the sweeper releases it within 5 s
      await t.runtime.platform.dataSource.query(
        `UPDATE inventory_reservations SET expires_at = now() - interval '1 second' WHERE order_id = $1`,
        [id],
      );
      await waitFor('the order cancelled', async () => (await orderOf(id)).status === 'CANCELLED');
      expect((await orderOf(id)).history.at(-1)).toMatchObject({
        status: 'CANCELLED',
        reason: 'reservation expired',
      });
      await waitFor(
        'the intent cancelled at Stripe',
        async () => emulator.intents.get(intent.id)?.status === 'canceled',
      );
      await waitFor('the payment voided', async () => (await orderOf(id)).payment?.status === 'VOIDED');
      // the customer answers too late: Stripe cannot confirm a canceled intent, and its webhook changes nothing
      const late = await deliver('payment_intent.canceled', emulator.intents.get(intent.id) as Json);
      expect(late.outcome).toBe('ignored');
      expect((await orderOf(id)).status).toBe('CANCELLED');
    });

    it('Stripe’s webhook overtakes the answer of the authorization: the order is confirmed once, and the request answers 201', async () => {
      const cartId = await cartOf(await product());
      const overtaking: { outcome: string }[] = [];
      emulator.beforeAnswer = async (request, answer) => {
        if (request.path !== '/v1/payment_intents' || request.replayed || overtaking.length > 0) return;
        overtaking.push({ outcome: '' });
        overtaking[0] = await deliver('payment_intent.amount_capturable_updated', answer);
      };
      const r = await checkout(t, cartId, 'pm_card_visa');
      expect(r.statusCode, r.body).toBe(201);
      expect(overtaking[0]?.outcome).toBe('applied');
      const order = await orderOf(r.json().id);
      expect(order.status).toBe('CONFIRMED');
      expect(order.history.filter((h: { status: string }) => h.status === 'CONFIRMED')).toHaveLength(1);
      onlyIntentOf(r.json().id);
      const authorized = await t.runtime.platform.dataSource.query(
        `SELECT count(*)::int AS n FROM outbox WHERE data->>'orderId' = $1 AND type = 'shopcore.payments.PaymentAuthorized.v1'`,
        [r.json().id],
      );
      expect(authorized[0].n).toBe(1);
    });

    it('payment_intent.succeeded overtakes the answer of our capture: captured once, one PaymentCaptured', async () => {
      const order = await confirmedOrder();
      const intent = onlyIntentOf(order.id);
      const overtaking: string[] = [];
      emulator.beforeAnswer = async (request, answer) => {
        if (!request.path.endsWith('/capture') || request.replayed || overtaking.length > 0) return;
        overtaking.push((await deliver('payment_intent.succeeded', answer)).outcome);
      };
      const captured = await t.runtime.modules.payments.facade.capture(order.id);
      expect(overtaking).toEqual(['applied']);
      expect(captured).toMatchObject({ status: 'CAPTURED', captured: order.total });
      expect(emulator.calls('POST', `/v1/payment_intents/${intent.id}/capture`)).toHaveLength(1);
      const events = await t.runtime.platform.dataSource.query(
        `SELECT count(*)::int AS n FROM outbox WHERE data->>'orderId' = $1 AND type = 'shopcore.payments.PaymentCaptured.v1'`,
        [order.id],
      );
      expect(events[0].n).toBe(1);
    });

    it('Stripe down (503 on every call): 202 PAYMENT_PENDING; once it is back the worker confirms it, with exactly one PaymentIntent', async () => {
      const cartId = await cartOf(await product());
      emulator.outage = true;
      const r = await checkout(t, cartId, 'pm_card_visa');
      expect(r.statusCode, r.body).toBe(202);
      expect(r.json().status).toBe('PAYMENT_PENDING');
      expect(intentsOf(r.json().id)).toHaveLength(0);
      emulator.outage = false;
      await waitFor('the breaker to let a call through', async () => {
        await t.runtime.modules.checkout.facade.retryPendingPayments();
        return (await orderOf(r.json().id)).status === 'CONFIRMED';
      });
      onlyIntentOf(r.json().id);
    });

    it('an answer slower than the timeout: 202, then the worker’s retry with the same key gets Stripe’s first answer — one PaymentIntent', async () => {
      const cartId = await cartOf(await product());
      emulator.slowMs = TIMEOUT_MS + 300;
      const r = await checkout(t, cartId, 'pm_card_visa');
      expect(r.statusCode, r.body).toBe(202);
      emulator.slowMs = 0;
      await waitFor('the worker to confirm it', async () => {
        await t.runtime.modules.checkout.facade.retryPendingPayments();
        return (await orderOf(r.json().id)).status === 'CONFIRMED';
      });
      const intent = onlyIntentOf(r.json().id);
      const posts = emulator
        .calls('POST', '/v1/payment_intents')
        .filter((c) => c.idempotencyKey?.startsWith(''));
      const replays = posts.filter(
        (c) => (c.body.metadata as Json)?.shopcore_order_id === r.json().id && c.replayed,
      );
      expect(replays.length).toBeGreaterThanOrEqual(1);
      expect(intent.status).toBe('requires_capture');
    });

    it('a 500 and a 429 are retried at once with the same key: 201, one PaymentIntent', async () => {
      const cartId = await cartOf(await product());
      emulator.failNext(1, 500);
      emulator.failNext(1, 429);
      const r = await checkout(t, cartId, 'pm_card_visa');
      expect(r.statusCode, r.body).toBe(201);
      onlyIntentOf(r.json().id);
    });

    it('dispatch captures exactly once — under 100 concurrent dispatches and a replayed payment_intent.succeeded', async () => {
      const order = await confirmedOrder(3000);
      const intent = onlyIntentOf(order.id);
      const [shipment] = await pollUntil(
        async () =>
          (
            await t.app.inject({
              method: 'GET',
              url: `/api/v1/admin/shipments?orderId=${order.id}`,
              headers: admin,
            })
          ).json().items as { id: string }[],
        (items) => items.length === 1,
      );
      expect(shipment).toBeDefined();
      for (const step of ['pick', 'pack']) {
        const s = await t.app.inject({
          method: 'POST',
          url: `/api/v1/admin/shipments/${shipment!.id}/${step}`,
          headers: admin,
        });
        expect(s.statusCode, s.body).toBe(200);
      }
      const dispatches = await Promise.all(
        Array.from({ length: 100 }, () =>
          t.app.inject({
            method: 'POST',
            url: `/api/v1/admin/shipments/${shipment!.id}/dispatch`,
            headers: admin,
          }),
        ),
      );
      expect(dispatches.filter((d) => d.statusCode === 200)).toHaveLength(1);
      await waitFor('the capture', async () => (await orderOf(order.id)).payment?.status === 'CAPTURED');
      const captures = () =>
        emulator.calls('POST', `/v1/payment_intents/${intent.id}/capture`).filter((c) => !c.replayed);
      expect(captures()).toHaveLength(1);
      expect(captures()[0]?.idempotencyKey).toMatch(/:capture$/);
      // Stripe announces the capture (and may announce it twice): nothing changes
      const succeeded = emulator.intents.get(intent.id) as Json;
      expect(succeeded.status).toBe('succeeded');
      const first = await deliver('payment_intent.succeeded', succeeded);
      expect(first.outcome).toBe('ignored');
      const replay = await postWebhook(first.body, first.headers);
      expect(replay.json().outcome).toBe('duplicate');
      const after = await orderOf(order.id);
      expect(after.payment).toMatchObject({ status: 'CAPTURED', captured: order.total });
      expect(captures()).toHaveLength(1);
    });

    it('refunds, partial then the rest, add up to the capture at Stripe; a refund made in Stripe’s dashboard is reconciled once', async () => {
      const order = await confirmedOrder(5000);
      const intent = onlyIntentOf(order.id);
      const captured = await t.runtime.modules.payments.facade.capture(order.id);
      expect(captured).toMatchObject({ status: 'CAPTURED', captured: order.total });
      const refund = (body: Json) =>
        t.app.inject({
          method: 'POST',
          url: `/api/v1/admin/orders/${order.id}/refunds`,
          ...json(body, admin),
        });
      const partial = await refund({ amount: 1234, reason: 'scratched' });
      expect(partial.statusCode, partial.body).toBe(201);
      expect(partial.json().payment).toMatchObject({
        status: 'PARTIALLY_REFUNDED',
        refunded: { amount: 1234 },
      });
      // a refund made in Stripe's dashboard, announced by a signed webhook (twice: one effect)
      const dashboard = {
        id: 're_dashboard_1',
        object: 'refund',
        amount: 766,
        charge: intent.latest_charge,
        created: Math.floor(Date.now() / 1000),
        currency: intent.currency,
        metadata: {},
        payment_intent: intent.id,
        reason: 'requested_by_customer',
        status: 'succeeded',
      };
      const hook = await deliver('refund.created', dashboard);
      expect(hook.outcome).toBe('applied');
      expect((await postWebhook(hook.body, hook.headers)).json().outcome).toBe('duplicate');
      expect((await orderOf(order.id)).payment.refunded.amount).toBe(2000);
      const rest = await refund({ reason: 'returned' });
      expect(rest.statusCode, rest.body).toBe(201);
      expect(rest.json().payment).toMatchObject({
        status: 'REFUNDED',
        refunded: order.total,
        captured: order.total,
      });
      const atStripe = [...emulator.refunds.values()].filter((r) => r.payment_intent === intent.id);
      expect(atStripe.map((r) => r.amount)).toEqual([1234, order.total.amount - 2000]);
      const refundCalls = emulator
        .calls('POST', '/v1/refunds')
        .filter((c) => c.body.payment_intent === intent.id);
      expect(refundCalls.every((c) => c.idempotencyKey !== null)).toBe(true);
    });

    it('a dispute opened at Stripe: a note on the order, the payment unchanged; the same event again changes nothing', async () => {
      const order = await confirmedOrder();
      const intent = onlyIntentOf(order.id);
      await t.runtime.modules.payments.facade.capture(order.id);
      const dispute = {
        id: 'dp_e2e_1',
        object: 'dispute',
        amount: order.total.amount,
        currency: order.total.currency.toLowerCase(),
        charge: intent.latest_charge,
        payment_intent: intent.id,
        reason: 'fraudulent',
        status: 'needs_response',
        created: Math.floor(Date.now() / 1000),
      };
      const hook = await deliver('charge.dispute.created', dispute);
      expect(hook.outcome).toBe('applied');
      expect((await postWebhook(hook.body, hook.headers)).json().outcome).toBe('duplicate');
      const after = await orderOf(order.id);
      expect(after.payment.status).toBe('CAPTURED');
      const disputeNotes = after.notes.filter((n: { text: string }) => n.text.startsWith('payment disputed'));
      expect(disputeNotes.map((n: { text: string }) => n.text)).toEqual([
        `payment disputed at stripe: ${order.total.amount} ${order.total.currency} (fraudulent), dispute dp_e2e_1`,
      ]);
    });

    it('refuses a missing, wrong, tampered or stale Stripe-Signature with 401, with no effect', async () => {
      const order = await confirmedOrder();
      const intent = onlyIntentOf(order.id);
      const object = { ...emulator.intents.get(intent.id), status: 'canceled' };
      const good = emulator.signedEvent('payment_intent.canceled', object);
      const unsigned = await postWebhook(good.body, { 'content-type': 'application/json' });
      expectProblem(unsigned, 401, 'UNAUTHENTICATED');
      const wrongKey = emulator.signedEvent('payment_intent.canceled', object, {
        secret: 'whsec_not_the_secret',
      });
      expectProblem(await postWebhook(wrongKey.body, wrongKey.headers), 401, 'UNAUTHENTICATED');
      expectProblem(
        await postWebhook(good.body.replace('"canceled"', '"succeeded"'), good.headers),
        401,
        'UNAUTHENTICATED',
      );
      const stale = emulator.signedEvent('payment_intent.canceled', object, {
        timestamp: Math.floor(Date.now() / 1000) - 301,
      });
      expectProblem(await postWebhook(stale.body, stale.headers), 401, 'UNAUTHENTICATED');
      expect((await orderOf(order.id)).payment.status).toBe('AUTHORIZED');
    });

    it('no Stripe secret in logs, error answers or the OpenAPI documents', async () => {
      const cartId = await cartOf(await product());
      expectProblem(await checkout(t, cartId, 'pm_card_chargeDeclined'), 402, 'PAYMENT_DECLINED');
      const docs = await t.app.inject({ method: 'GET', url: '/docs/json' });
      const secrets = [SECRET_KEY, WEBHOOK_SECRET, SECRET_KEY.slice(-12), WEBHOOK_SECRET.slice(-12)];
      const seen = [logs.join(''), docs.body, readFileSync(STRIPE_OPENAPI_SLICE, 'utf8')];
      expect(logs.length).toBeGreaterThan(0);
      for (const text of seen) for (const secret of secrets) expect(text).not.toContain(secret);
      // and no live-looking key at all in the published slice
      expect(readFileSync(STRIPE_OPENAPI_SLICE, 'utf8')).not.toMatch(
        /sk_(live|test)_[A-Za-z0-9]{10,}|whsec_[A-Za-z0-9]{10,}/,
      );
    });
  },
);
