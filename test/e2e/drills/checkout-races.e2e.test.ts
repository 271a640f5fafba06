import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../../support/app.js';
import { checkout, readyCart, uniqueSku } from '../../support/checkout.js';
import { json, loginAs, shopAdmin } from '../../support/http.js';
import { missing } from '../../support/skip.js';
import { pollUntil, retryBackoff, sampleWhile } from '../../support/wait.js';

const ADMIN = { email: 'races-admin@shop.example', password: 'admin-password-1' };

/**
 * Checkouts racing for scarce things, on two app instances sharing one database (each with its own
 * pool, relay and workers): no interleaving sells more than is on hand, and a coupon's usage limit
 * holds.
 */
/**
 * A storefront's checkout call: a 503 (the instance shed load: its pool was saturated) is retried with
 * the same Idempotency-Key, as docs/product/api.md's clients do; every other answer is final.
 */
const checkoutRetrying = async (t: TestApp, cartId: string, token: string) => {
  const key = randomUUID();
  for (let attempt = 1; ; attempt++) {
    const r = await checkout(t, cartId, token, { key });
    if (r.statusCode !== 503 || attempt >= 20) return r;
    expect(r.headers['retry-after']).toBeDefined();
    await retryBackoff(0, { firstMs: 60 }); // 30–90 ms, whatever the attempt
  }
};

describe.skipIf(missing('postgres'))('checkout races on two instances', () => {
  let one: TestApp;
  let two: TestApp;
  let shop: ReturnType<typeof shopAdmin>;
  let admin: Record<string, string>;

  beforeAll(async () => {
    const env = { ADMIN_EMAIL: ADMIN.email, ADMIN_PASSWORD: ADMIN.password, DB_POOL_SIZE: '10' };
    one = await startTestApp(env);
    two = await startTestApp(env, { db: one.db });
    admin = await loginAs(one, ADMIN);
    shop = shopAdmin(one, admin);
  }, 60_000);
  afterAll(async () => {
    await two?.close();
    await one?.close();
  });

  /** Read on a connection of the test's own, not from the apps' pools (which the race saturates). */
  const stockRows = async (sku: string) => {
    const client = new pg.Client({ connectionString: one.db.url });
    await client.connect();
    try {
      const { rows } = await client.query('SELECT on_hand, reserved FROM inventory_stock WHERE sku = $1', [
        sku,
      ]);
      return rows as { on_hand: number; reserved: number }[];
    } finally {
      await client.end();
    }
  };

  it('200 concurrent checkouts of a SKU with 50 units: exactly 50 confirmed, the rest 409 OUT_OF_STOCK, stock never negative', async () => {
    const sku = uniqueSku('SCARCE');
    await shop.createProduct([sku], { name: 'Scarce thing' });
    await shop.setPrice(sku, 1000);
    await shop.addStock(sku, 50);
    const carts: string[] = [];
    for (let i = 0; i < 200; i++)
      carts.push(await readyCart(i % 2 ? two : one, { lines: [{ sku, quantity: 1 }] }));

    // watch the stock row while the race runs: reserved never passes on hand
    const watch = sampleWhile(() => stockRows(sku), 5);
    const answers = await Promise.all(
      carts.map((cartId, i) => checkoutRetrying(i % 2 ? two : one, cartId, 'tok_visa')),
    );
    const seen = (await watch.stop()).flat();

    const statuses = answers.map((a) => a.statusCode);
    // 201 CONFIRMED, or — when the instance's pool was too busy to record the authorization at once —
    // 202 PAYMENT_PENDING, which the pending-payment worker confirms shortly (docs/checkout.md)
    expect(answers.filter((a) => ![201, 202, 409].includes(a.statusCode)).map((a) => a.body)).toEqual([]);
    expect(statuses.filter((s) => s === 201 || s === 202)).toHaveLength(50);
    const refused = answers.filter((a) => a.statusCode === 409);
    expect(refused).toHaveLength(150);
    for (const r of refused) expect(r.json().code).toBe('OUT_OF_STOCK');
    for (const row of seen) {
      expect(row.reserved).toBeLessThanOrEqual(row.on_hand);
      expect(row.on_hand - row.reserved).toBeGreaterThanOrEqual(0);
    }
    const [total] = await stockRows(sku).then((rows) =>
      rows.map(() =>
        rows.reduce((a, r) => ({ on_hand: a.on_hand + r.on_hand, reserved: a.reserved + r.reserved }), {
          on_hand: 0,
          reserved: 0,
        }),
      ),
    );
    expect(total).toEqual({ on_hand: 50, reserved: 50 });
    const confirmed = await pollUntil(
      async () =>
        (
          await one.runtime.platform.dataSource.query(
            `SELECT count(*)::int AS n FROM orders_orders o JOIN orders_lines l ON l.order_id = o.id
              WHERE l.sku = $1 AND o.status = 'CONFIRMED'`,
            [sku],
          )
        )[0].n as number,
      (n) => n === 50,
      30_000,
    );
    expect(confirmed).toBe(50);
  }, 120_000);

  it('a coupon with a usage limit of 5 raced by 30 checkouts is redeemed exactly 5 times', async () => {
    const sku = uniqueSku('COUPONED');
    await shop.createProduct([sku], { name: 'Couponed thing' });
    await shop.setPrice(sku, 2000);
    await shop.addStock(sku, 100);
    const code = `RACE5${Date.now().toString(36)}`.toUpperCase();
    const created = await one.app.inject({
      method: 'POST',
      url: '/api/v1/admin/promotions',
      ...json({ code, type: 'fixed', value: 500, usageLimit: 5 }, admin),
    });
    expect(created.statusCode, created.body).toBe(201);
    const carts: string[] = [];
    for (let i = 0; i < 30; i++) {
      carts.push(await readyCart(i % 2 ? two : one, { lines: [{ sku, quantity: 1 }], coupon: code }));
    }
    const answers = await Promise.all(
      carts.map((cartId, i) => checkoutRetrying(i % 2 ? two : one, cartId, 'tok_visa')),
    );
    expect(answers.filter((a) => ![201, 202, 409].includes(a.statusCode)).map((a) => a.body)).toEqual([]);
    const placed = answers.filter((a) => a.statusCode === 201 || a.statusCode === 202);
    expect(placed).toHaveLength(5);
    for (const p of placed)
      expect(p.json()).toMatchObject({ promotionCode: code, discount: { amount: 500 } });
    for (const r of answers.filter((a) => a.statusCode === 409)) expect(r.json().code).toBe('CONFLICT');
    const [{ used_count: used }] = await one.runtime.platform.dataSource.query(
      'SELECT used_count FROM pricing_promotions WHERE code = $1',
      [code],
    );
    expect(used).toBe(5);
    const [{ n }] = await one.runtime.platform.dataSource.query(
      `SELECT count(*)::int AS n FROM pricing_promotion_redemptions r JOIN pricing_promotions p ON p.id = r.promotion_id
        WHERE p.code = $1`,
      [code],
    );
    expect(n).toBe(5);
  }, 30_000);
});
