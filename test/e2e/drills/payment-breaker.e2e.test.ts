import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FakePaymentProvider } from '../../../src/payments/adapters/providers/fake.payment-provider.js';
import { ManualClock } from '../../../src/platform/clock.js';
import { startTestApp, type TestApp } from '../../support/app.js';
import { checkout, readyCart, uniqueSku } from '../../support/checkout.js';
import { loginAs, shopAdmin } from '../../support/http.js';
import { missing } from '../../support/skip.js';

const ADMIN = { email: 'breaker-admin@shop.example', password: 'admin-password-1' };

/**
 * Issue 18 item 5: one stuck payment must not open the provider's breaker for everyone. The
 * breaker keeps its shipped numbers (5 failures → open 30 s → half-open); the pending-payment
 * worker keeps its shipped backoff (1 s doubling to 60 s) on a ManualClock that the test moves a
 * second at a time, running a worker pass each second — 60 s of worker retries in a few real
 * seconds. Only the waits between one call's three attempts are made tiny.
 */
describe.skipIf(missing('postgres'))('one stuck payment and the provider’s circuit breaker', () => {
  let t: TestApp;
  let shop: ReturnType<typeof shopAdmin>;
  let provider: FakePaymentProvider;
  const clock = new ManualClock(new Date());

  beforeAll(async () => {
    t = await startTestApp(
      { ADMIN_EMAIL: ADMIN.email, ADMIN_PASSWORD: ADMIN.password },
      {
        clock,
        contexts: {
          // the test runs the worker's passes itself; it takes an order over at once
          checkout: { pendingPayments: { intervalMs: 3_600_000, graceMs: 0 } },
          payments: { resilience: { baseDelayMs: 1, maxDelayMs: 2 } },
        },
      },
    );
    shop = shopAdmin(t, await loginAs(t, ADMIN));
    provider = t.runtime.modules.payments.provider as FakePaymentProvider;
  });
  afterAll(async () => t?.close());

  it('a tok_error order retried by the worker for 60 s: every tok_visa checkout meanwhile answers 201', async () => {
    const sku = uniqueSku('BRK');
    await shop.createProduct([sku], { name: 'Breaker thing' });
    await shop.setPrice(sku, 1_500);
    await shop.addStock(sku, 50);
    const states: string[] = [];
    t.runtime.modules.payments.services.resilient.breaker.onStateChange((s) => states.push(String(s)));
    const cart = () => readyCart(t, { lines: [{ sku, quantity: 1 }] });

    const stuck = await checkout(t, await cart(), 'tok_error');
    expect(stuck.statusCode, stuck.body).toBe(202);
    expect(stuck.json()).toMatchObject({ status: 'PAYMENT_PENDING' });
    const callsBefore = provider.calls.authorize;

    const answers: number[] = [];
    for (let second = 1; second <= 60; second++) {
      clock.advance(1_000);
      await t.runtime.modules.checkout.facade.retryPendingPayments();
      // other shoppers, from t = 10 s (when the old breaker had counted the stuck order five times)
      if (second % 5 === 0 && second >= 10) {
        const r = await checkout(t, await cart(), 'tok_visa');
        answers.push(r.statusCode);
        expect(r.statusCode, `shopper at ${second} s: ${r.body}`).toBe(201);
        expect(r.json()).toMatchObject({ status: 'CONFIRMED', payment: { status: 'AUTHORIZED' } });
      }
    }

    expect(answers).toEqual(Array(11).fill(201));
    // the stuck order was really retried all along — at least 6 worker calls of 3 failed attempts
    // (retries at 1, ≤2, ≤4, ≤8, ≤16, ≤32 s) — and stays pending; the breaker never left `closed`
    const stuckAttempts = provider.calls.authorize - callsBefore - answers.length;
    expect(stuckAttempts).toBeGreaterThanOrEqual(6 * 3);
    expect(stuckAttempts % 3).toBe(0);
    const [order] = await t.runtime.platform.dataSource.query(
      'SELECT status FROM orders_orders WHERE id = $1',
      [stuck.json().id],
    );
    expect(order).toEqual({ status: 'PAYMENT_PENDING' });
    expect(states).toEqual([]);
    expect(t.runtime.modules.payments.services.resilient.circuitState).toBe('closed');
  });
});
