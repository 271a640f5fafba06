import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FakePaymentProvider } from '../../../src/payments/adapters/providers/fake.payment-provider.js';
import { startTestApp, type TestApp } from '../../support/app.js';
import { checkout, eventsOfOrder, readyCart, registerCustomer, uniqueSku } from '../../support/checkout.js';
import { expectProblem, json, loginAs, shopAdmin } from '../../support/http.js';
import { missing } from '../../support/skip.js';
import { pollUntil, waitFor } from '../../support/wait.js';

const ADMIN = { email: 'checkout-admin@shop.example', password: 'admin-password-1' };
const types = (rows: { type: string }[]) =>
  rows.map((r) => r.type.replace(/^shopcore\.\w+\.(\w+)\.v1$/, '$1'));

describe.skipIf(missing('postgres'))('checkout through HTTP (POST /api/v1/orders)', () => {
  let t: TestApp;
  let admin: Record<string, string>;
  let shop: ReturnType<typeof shopAdmin>;
  let provider: FakePaymentProvider;

  beforeAll(async () => {
    t = await startTestApp(
      { ADMIN_EMAIL: ADMIN.email, ADMIN_PASSWORD: ADMIN.password },
      {
        contexts: {
          // the worker looks often and takes over at once; a breaker that re-closes quickly
          checkout: { pendingPayments: { intervalMs: 100, graceMs: 0, baseDelayMs: 50, maxDelayMs: 200 } },
          payments: {
            resilience: { halfOpenAfterMs: 200, baseDelayMs: 5, maxDelayMs: 20 },
            settleIntervalMs: 100,
            settleAfterMs: 0,
          },
        },
      },
    );
    admin = await loginAs(t, ADMIN);
    shop = shopAdmin(t, admin);
    provider = t.runtime.modules.payments.provider as FakePaymentProvider;
  });
  afterAll(async () => t?.close());

  /** An active SKU priced `amount` with `stock` units on hand. */
  const product = async (amount: number, stock: number) => {
    const sku = uniqueSku('CO');
    await shop.createProduct([sku], { name: 'Checkout thing' });
    await shop.setPrice(sku, amount);
    if (stock > 0) await shop.addStock(sku, stock);
    return sku;
  };
  const stockOf = async (sku: string) => {
    const r = await t.app.inject({ method: 'GET', url: `/api/v1/admin/inventory/${sku}`, headers: admin });
    const w = (r.json().warehouses as { onHand: number; reserved: number }[]).reduce(
      (a, x) => ({ onHand: a.onHand + x.onHand, reserved: a.reserved + x.reserved }),
      { onHand: 0, reserved: 0 },
    );
    return { ...w, available: r.json().totalAvailable as number };
  };
  const orderOf = (id: string, headers: Record<string, string> = admin) =>
    t.app.inject({ method: 'GET', url: `/api/v1/admin/orders/${id}`, headers });
  const promotion = async (code: string, usageLimit?: number) => {
    const r = await t.app.inject({
      method: 'POST',
      url: '/api/v1/admin/promotions',
      ...json({ code, type: 'percentage', value: 10, ...(usageLimit ? { usageLimit } : {}) }, admin),
    });
    expect(r.statusCode, r.body).toBe(201);
  };
  const usedCount = async (code: string) => {
    const [row] = await t.runtime.platform.dataSource.query(
      'SELECT used_count FROM pricing_promotions WHERE code = $1',
      [code],
    );
    return row.used_count as number;
  };

  it('confirms a customer’s order paid with tok_visa: 201 CONFIRMED, stock reserved, events in order', async () => {
    const sku = await product(2500, 10);
    const customer = await registerCustomer(t);
    const cartId = await readyCart(t, { lines: [{ sku, quantity: 2 }], auth: customer.auth });
    const r = await checkout(t, cartId, 'tok_visa', { auth: customer.auth });
    expect(r.statusCode, r.body).toBe(201);
    const order = r.json();
    expect(order).toMatchObject({
      status: 'CONFIRMED',
      customerId: customer.id,
      email: customer.email,
      currency: 'EUR',
      items: [{ sku, quantity: 2, unitPrice: { amount: 2500, currency: 'EUR' } }],
      payment: { status: 'AUTHORIZED', brand: 'visa', last4: '4242' },
      shipments: [],
    });
    expect(order.number).toMatch(/^EU-\d{6,}$/);
    expect(order.payment.authorized).toEqual(order.total);
    expect(order.history.map((h: { status: string }) => h.status)).toEqual([
      'CREATED',
      'PAYMENT_PENDING',
      'PAYMENT_AUTHORIZED',
      'CONFIRMED',
    ]);
    // the answer is built from what the confirming transaction held: it is the stored order, as far
    // as the fulfilment that starts after the commit has not moved it on (status, history, shipments)
    const stored = (await orderOf(order.id)).json();
    const settled = (o: Record<string, unknown>) => ({ ...o, status: 0, history: 0, shipments: 0 });
    expect(settled(order)).toEqual(settled(stored));
    expect(stored.history.slice(0, order.history.length)).toEqual(order.history);
    expect(await stockOf(sku)).toEqual({ onHand: 10, reserved: 2, available: 8 });
    expect(types(await eventsOfOrder(t, order.id))).toEqual([
      'OrderPlaced',
      'InventoryReserved',
      'PaymentAuthorized',
      'OrderConfirmed',
    ]);
    // the cart is closed, and the customer sees the order in their history
    const cart = await t.app.inject({
      method: 'GET',
      url: `/api/v1/carts/${cartId}`,
      headers: customer.auth,
    });
    expect(cart.statusCode).toBe(404);
    const mine = await t.app.inject({ method: 'GET', url: '/api/v1/orders', headers: customer.auth });
    expect(mine.json().items.map((o: { id: string }) => o.id)).toContain(order.id);
    expect(provider.authorizationsFor(order.id)).toHaveLength(1);
  });

  it('declines tok_declined: 402 PAYMENT_DECLINED, order CANCELLED, stock back, coupon use given back, cart open again', async () => {
    const sku = await product(4000, 5);
    const code = `DECL${Date.now().toString(36)}`.toUpperCase();
    await promotion(code, 10);
    const customer = await registerCustomer(t);
    const cartId = await readyCart(t, { lines: [{ sku, quantity: 3 }], auth: customer.auth, coupon: code });
    const r = await checkout(t, cartId, 'tok_declined', { auth: customer.auth });
    const problem = expectProblem(r, 402, 'PAYMENT_DECLINED') as { orderId?: string };
    const orderId = r.json().orderId as string;
    expect(orderId).toMatch(/^[0-9a-f-]{36}$/);
    expect(problem).toBeDefined();
    const order = (await orderOf(orderId)).json();
    expect(order.status).toBe('CANCELLED');
    expect(order.payment.status).toBe('FAILED');
    expect(order.history.at(-1)).toMatchObject({ status: 'CANCELLED' });
    expect(await stockOf(sku)).toEqual({ onHand: 5, reserved: 0, available: 5 });
    expect(await usedCount(code)).toBe(0);
    expect(types(await eventsOfOrder(t, orderId))).toEqual([
      'OrderPlaced',
      'PromotionRedeemed',
      'InventoryReserved',
      'PaymentFailed',
      'InventoryReleased',
      'OrderCancelled',
    ]);
    // the shopper may pay another way: the cart is open with its lines, and the coupon applies again
    const cart = await t.app.inject({
      method: 'GET',
      url: `/api/v1/carts/${cartId}`,
      headers: customer.auth,
    });
    expect(cart.statusCode).toBe(200);
    expect(cart.json().items).toMatchObject([{ sku, quantity: 3 }]);
    const retry = await checkout(t, cartId, 'tok_mastercard', { auth: customer.auth });
    expect(retry.statusCode, retry.body).toBe(201);
    expect(retry.json().payment).toMatchObject({ brand: 'mastercard', last4: '4444' });
    expect(await usedCount(code)).toBe(1);
  });

  it('answers 202 PAYMENT_PENDING during a provider outage; once it is over the worker confirms with one authorization', async () => {
    const sku = await product(1500, 4);
    const customer = await registerCustomer(t);
    const cartId = await readyCart(t, { lines: [{ sku, quantity: 1 }], auth: customer.auth });
    provider.setOutage(true);
    let orderId: string;
    try {
      const r = await checkout(t, cartId, 'tok_visa', { auth: customer.auth });
      expect(r.statusCode, r.body).toBe(202);
      expect(r.json().status).toBe('PAYMENT_PENDING');
      orderId = r.json().id;
      expect(await stockOf(sku)).toMatchObject({ reserved: 1 });
      // the worker keeps trying while the outage lasts (two more calls reach the provider, and fail),
      // and nothing is authorized
      const calls = () => provider.calls.authorize + provider.calls.lookup;
      const before = calls();
      await waitFor('the worker to try twice more', async () => calls() >= before + 2, 10_000, 20);
      expect((await orderOf(orderId)).json().status).toBe('PAYMENT_PENDING');
      expect(provider.authorizationsFor(orderId)).toHaveLength(0);
    } finally {
      provider.setOutage(false);
    }
    const done = await pollUntil(
      async () => (await orderOf(orderId)).json().status as string,
      (s) => s === 'CONFIRMED',
    );
    expect(done).toBe('CONFIRMED');
    expect(provider.authorizationsFor(orderId)).toHaveLength(1);
    expect(types(await eventsOfOrder(t, orderId))).toEqual([
      'OrderPlaced',
      'InventoryReserved',
      'PaymentAuthorized',
      'OrderConfirmed',
    ]);
  });

  it('lets a guest check out and find the order with its email; another customer gets 404', async () => {
    const sku = await product(999, 3);
    const email = `guest-${Date.now()}@example.com`;
    const cartId = await readyCart(t, { lines: [{ sku, quantity: 1 }], email });
    const r = await checkout(t, cartId, 'tok_visa');
    expect(r.statusCode, r.body).toBe(201);
    const { id } = r.json();
    expect(r.json()).toMatchObject({ customerId: null, email, status: 'CONFIRMED' });
    const found = await t.app.inject({
      method: 'GET',
      url: `/api/v1/orders/${id}?email=${encodeURIComponent(email.toUpperCase())}`,
    });
    expect(found.statusCode).toBe(200);
    expect(found.json().id).toBe(id);
    const other = await registerCustomer(t);
    expectProblem(
      await t.app.inject({ method: 'GET', url: `/api/v1/orders/${id}`, headers: other.auth }),
      404,
      'NOT_FOUND',
    );
    expectProblem(
      await t.app.inject({ method: 'GET', url: `/api/v1/orders/${id}?email=someone%40example.com` }),
      404,
      'NOT_FOUND',
    );
  });

  it('refuses a cart that is not ready, someone else’s cart, a missing key, an unknown token, and short stock', async () => {
    const sku = await product(500, 1);
    const customer = await registerCustomer(t);
    // no Idempotency-Key → 400
    const cartId = await readyCart(t, { lines: [{ sku, quantity: 1 }], auth: customer.auth });
    const noKey = await t.app.inject({
      method: 'POST',
      url: '/api/v1/orders',
      ...json({ cartId, payment: { token: 'tok_visa' } }, customer.auth),
    });
    expectProblem(noKey, 400, 'VALIDATION_FAILED', ['headers.idempotency-key']);
    // an unknown token → 400 naming it; nothing placed
    expectProblem(
      await checkout(t, cartId, 'tok_unknown', { auth: customer.auth }),
      400,
      'VALIDATION_FAILED',
      ['payment.token'],
    );
    // another customer's cart, and an anonymous caller on a customer's cart → 404
    const other = await registerCustomer(t);
    expectProblem(await checkout(t, cartId, 'tok_visa', { auth: other.auth }), 404, 'NOT_FOUND');
    expectProblem(await checkout(t, cartId, 'tok_visa'), 404, 'NOT_FOUND');
    // a cart without shipping → 409
    const bare = await t.app.inject({ method: 'POST', url: '/api/v1/carts' });
    const bareId = bare.json().id as string;
    await t.app.inject({
      method: 'POST',
      url: `/api/v1/carts/${bareId}/items`,
      ...json({ sku, quantity: 1 }),
    });
    const notReady = expectProblem(await checkout(t, bareId, 'tok_visa'), 409, 'CONFLICT');
    expect(notReady.detail).toMatch(/shipping address/);
    // more than is on hand (a second cart took the only unit) → 409 OUT_OF_STOCK naming the SKU
    const first = await checkout(t, cartId, 'tok_visa', { auth: customer.auth });
    expect(first.statusCode, first.body).toBe(201);
    // the last unit is reserved: a new cart cannot even take it
    const another = (await t.app.inject({ method: 'POST', url: '/api/v1/carts' })).json().id as string;
    expectProblem(
      await t.app.inject({
        method: 'POST',
        url: `/api/v1/carts/${another}/items`,
        ...json({ sku, quantity: 1 }),
      }),
      409,
      'OUT_OF_STOCK',
    );
    // two carts filled before the stock ran out: the second checkout finds it short
    const scarce = await product(700, 1);
    const a = await readyCart(t, { lines: [{ sku: scarce, quantity: 1 }] });
    const b = await readyCart(t, { lines: [{ sku: scarce, quantity: 1 }] });
    expect((await checkout(t, a, 'tok_visa')).statusCode).toBe(201);
    const short = expectProblem(await checkout(t, b, 'tok_visa'), 409, 'OUT_OF_STOCK');
    expect(short.errors?.map((e) => e.message).join()).toContain(scarce);
    // nothing of the refused checkout remains: no order for that cart, the cart still open
    const [{ n }] = await t.runtime.platform.dataSource.query(
      'SELECT count(*)::int AS n FROM orders_orders WHERE cart_id = $1',
      [b],
    );
    expect(n).toBe(0);
    expect((await t.app.inject({ method: 'GET', url: `/api/v1/carts/${b}` })).statusCode).toBe(200);
  });

  it('cancels before dispatch: the authorization is voided, the stock released; again is 409; someone else’s is 404', async () => {
    const sku = await product(1800, 6);
    const customer = await registerCustomer(t);
    const cartId = await readyCart(t, { lines: [{ sku, quantity: 2 }], auth: customer.auth });
    const placed = await checkout(t, cartId, 'tok_visa', { auth: customer.auth });
    expect(placed.statusCode, placed.body).toBe(201);
    const { id } = placed.json();
    const cancel = (headers: Record<string, string>) =>
      t.app.inject({
        method: 'POST',
        url: `/api/v1/orders/${id}/cancel`,
        ...json({ reason: 'changed my mind' }, headers),
      });
    const stranger = await registerCustomer(t);
    expectProblem(await cancel(stranger.auth), 404, 'NOT_FOUND');
    const cancelled = await cancel(customer.auth);
    expect(cancelled.statusCode, cancelled.body).toBe(200);
    expect(cancelled.json()).toMatchObject({ status: 'CANCELLED', payment: { status: 'VOIDED' } });
    expect(cancelled.json().history.at(-1)).toMatchObject({ status: 'CANCELLED', reason: 'changed my mind' });
    expect(provider.authorizationsFor(id).map((a) => a.status)).toEqual(['voided']);
    expect(await stockOf(sku)).toEqual({ onHand: 6, reserved: 0, available: 6 });
    expectProblem(await cancel(customer.auth), 409, 'ILLEGAL_STATE_TRANSITION');
    expect(types(await eventsOfOrder(t, id)).slice(-3)).toEqual([
      'InventoryReleased',
      'OrderCancelled',
      'PaymentVoided',
    ]);
    // an admin may cancel anyone's order
    const other = await checkout(t, await readyCart(t, { lines: [{ sku, quantity: 1 }] }), 'tok_visa');
    const byAdmin = await t.app.inject({
      method: 'POST',
      url: `/api/v1/orders/${other.json().id}/cancel`,
      headers: admin,
    });
    expect(byAdmin.statusCode, byAdmin.body).toBe(200);
    expect(byAdmin.json().history.at(-1)).toMatchObject({
      status: 'CANCELLED',
      reason: 'cancelled by an admin',
    });
  });

  it('refunds what was captured: a partial then a full refund add up exactly; more than remains is 409', async () => {
    const sku = await product(5000, 3);
    const cartId = await readyCart(t, { lines: [{ sku, quantity: 1 }] });
    const placed = await checkout(t, cartId, 'tok_visa');
    const { id, total } = placed.json();
    const refund = (body: Record<string, unknown>) =>
      t.app.inject({ method: 'POST', url: `/api/v1/admin/orders/${id}/refunds`, ...json(body, admin) });
    // nothing captured yet (capture comes with the first dispatch): nothing to refund
    expectProblem(await refund({ amount: 100, reason: 'early' }), 409, 'CONFLICT');
    const captured = await t.runtime.modules.payments.facade.capture(id);
    expect(captured).toMatchObject({ status: 'CAPTURED', captured: total });
    const partial = await refund({ amount: 1234, reason: 'scratched' });
    expect(partial.statusCode, partial.body).toBe(201);
    expect(partial.json().payment).toMatchObject({
      status: 'PARTIALLY_REFUNDED',
      refunded: { amount: 1234 },
    });
    expectProblem(await refund({ amount: total.amount, reason: 'too much' }), 409, 'CONFLICT');
    const rest = await refund({ reason: 'returned' });
    expect(rest.statusCode, rest.body).toBe(201);
    expect(rest.json().payment).toMatchObject({ status: 'REFUNDED', refunded: total, captured: total });
    const [auth] = provider.authorizationsFor(id);
    expect(auth?.refunds.map((r) => r.amount)).toEqual([1234, total.amount - 1234]);
    expectProblem(await refund({ amount: 1, reason: 'again' }), 409, 'CONFLICT');
    expectProblem(
      await t.app.inject({
        method: 'POST',
        url: `/api/v1/admin/orders/${id}/refunds`,
        ...json({ reason: 'x' }, (await registerCustomer(t)).auth),
      }),
      403,
      'FORBIDDEN',
    );
  });

  it('cancels an unpaid order whose reservation expired: coupon back, payment voided, stock released', async () => {
    const sku = await product(2100, 4);
    const code = `EXP${Date.now().toString(36)}`.toUpperCase();
    await promotion(code, 3);
    const cartId = await readyCart(t, { lines: [{ sku, quantity: 1 }], coupon: code });
    provider.setOutage(true);
    let id: string;
    try {
      const r = await checkout(t, cartId, 'tok_visa');
      expect(r.statusCode, r.body).toBe(202);
      id = r.json().id;
      expect(await usedCount(code)).toBe(1);
      // the reservation's time is up (RESERVATION_TTL_SECONDS); the sweeper releases it within 5 s
      await t.runtime.platform.dataSource.query(
        `UPDATE inventory_reservations SET expires_at = now() - interval '1 second' WHERE order_id = $1`,
        [id],
      );
      const status = await pollUntil(
        async () => (await orderOf(id)).json().status as string,
        (s) => s === 'CANCELLED',
        15_000,
      );
      expect(status).toBe('CANCELLED');
    } finally {
      provider.setOutage(false);
    }
    const order = (await orderOf(id)).json();
    expect(order.history.at(-1)).toMatchObject({ status: 'CANCELLED', reason: 'reservation expired' });
    expect(await usedCount(code)).toBe(0);
    expect(await stockOf(sku)).toEqual({ onHand: 4, reserved: 0, available: 4 });
    const payment = await pollUntil(
      async () => (await orderOf(id)).json().payment.status as string,
      (s) => s === 'VOIDED',
      15_000,
    );
    expect(payment).toBe('VOIDED');
    expect(provider.authorizationsFor(id).filter((a) => a.status !== 'voided')).toEqual([]);
  }, 40_000);

  it('replays the same key with the same status and body; another body with the key is 422; 20 concurrent duplicates make one order', async () => {
    const sku = await product(1200, 50);
    const customer = await registerCustomer(t);
    const cartId = await readyCart(t, { lines: [{ sku, quantity: 1 }], auth: customer.auth });
    const key = `order-${randomUUID()}`;
    const first = await checkout(t, cartId, 'tok_visa', { auth: customer.auth, key });
    expect(first.statusCode).toBe(201);
    const again = await checkout(t, cartId, 'tok_visa', { auth: customer.auth, key });
    expect(again.statusCode).toBe(201);
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(again.json()).toEqual(first.json());
    expectProblem(
      await checkout(t, cartId, 'tok_mastercard', { auth: customer.auth, key }),
      422,
      'IDEMPOTENCY_KEY_REUSED',
    );

    const cart2 = await readyCart(t, { lines: [{ sku, quantity: 2 }], auth: customer.auth });
    const key2 = `order-${randomUUID()}`;
    const answers = await Promise.all(
      Array.from({ length: 20 }, () => checkout(t, cart2, 'tok_visa', { auth: customer.auth, key: key2 })),
    );
    expect(answers.filter((a) => a.statusCode >= 500).map((a) => a.body)).toEqual([]);
    const created = answers.filter((a) => a.statusCode === 201);
    expect(created.length).toBeGreaterThanOrEqual(1);
    // the others were replays of that answer — or of its checkpoint while the authorization was still
    // being recorded (202 PAYMENT_PENDING, the same order: a loaded pool can delay that step) — or told
    // the first was still running (409)
    for (const a of answers) expect([201, 202, 409]).toContain(a.statusCode);
    const answered = answers.filter((a) => a.statusCode === 201 || a.statusCode === 202);
    expect(new Set(answered.map((a) => a.json().id)).size).toBe(1);
    const [{ n }] = await t.runtime.platform.dataSource.query(
      'SELECT count(*)::int AS n FROM orders_orders WHERE cart_id = $1',
      [cart2],
    );
    expect(n).toBe(1);
    expect(await stockOf(sku)).toMatchObject({ reserved: 3 });
  });
});

describe.skipIf(missing('postgres'))('checkout with FAKE_PSP_OUTAGE=1 (the outage drill)', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp(
      { ADMIN_EMAIL: ADMIN.email, ADMIN_PASSWORD: ADMIN.password, FAKE_PSP_OUTAGE: '1' },
      {
        contexts: {
          checkout: { pendingPayments: { intervalMs: 100, graceMs: 0, baseDelayMs: 50, maxDelayMs: 200 } },
          payments: { resilience: { halfOpenAfterMs: 200, baseDelayMs: 5, maxDelayMs: 20 } },
        },
      },
    );
  });
  afterAll(async () => t?.close());

  it('answers 202 PAYMENT_PENDING while the drill lasts and confirms once it ends, authorizing once', async () => {
    const shop = shopAdmin(t, await loginAs(t, ADMIN));
    const sku = uniqueSku('DRILL');
    await shop.createProduct([sku], { name: 'Drill thing' });
    await shop.setPrice(sku, 800);
    await shop.addStock(sku, 2);
    const r = await checkout(t, await readyCart(t, { lines: [{ sku, quantity: 1 }] }), 'tok_visa');
    expect(r.statusCode, r.body).toBe(202);
    expect(r.json()).toMatchObject({ status: 'PAYMENT_PENDING', payment: { status: 'PENDING' } });
    const provider = t.runtime.modules.payments.provider as FakePaymentProvider;
    expect(provider.authorizationsFor(r.json().id)).toHaveLength(0);
    provider.setOutage(false); // the drill is over
    const status = await pollUntil(
      async () => (await t.runtime.modules.orders.facade.view(r.json().id))?.status,
      (s) => s === 'CONFIRMED',
    );
    expect(status).toBe('CONFIRMED');
    expect(provider.authorizationsFor(r.json().id)).toHaveLength(1);
  });
});
