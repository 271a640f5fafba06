import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { startTestApp, type TestApp } from '../../support/app.js';
import { checkout, readyCart } from '../../support/checkout.js';
import { loginAs, shopAdmin } from '../../support/http.js';
import { type CuttableProxy, proxiedService } from '../../support/proxy.js';
import { missing } from '../../support/skip.js';
import { waitFor } from '../../support/wait.js';

const ADMIN = { email: 'redis-outage-admin@example.com', password: 'redis outage admin pw' };
const LIMIT = 80;

/**
 * docs/product/spec.md: Redis down → serve from Postgres (degraded, logged, metric), never fail a checkout; rate
 * limits fall back to per instance. The app reaches the real Redis through a proxy the test cuts.
 */
describe.skipIf(missing('postgres', 'redis'))('Redis down: browse, cart and checkout keep working', () => {
  let proxy: CuttableProxy;
  let t: TestApp;
  let sku: string;
  let productId: string;

  beforeAll(async () => {
    const proxied = await proxiedService(inject('redisUrl')!, 6379);
    proxy = proxied.proxy;
    t = await startTestApp(
      {
        ADMIN_EMAIL: ADMIN.email,
        ADMIN_PASSWORD: ADMIN.password,
        REDIS_URL: proxied.url,
        REDIS_PREFIX: `redis-outage-${Date.now()}:`,
        RATE_LIMIT_PER_MINUTE: String(LIMIT),
      },
      { redis: true },
    );
    const shop = shopAdmin(t, await loginAs(t, ADMIN));
    sku = `OUTAGE-${Date.now().toString(36)}`.toUpperCase();
    productId = await shop.createProduct([sku]);
    await shop.setPrice(sku, 1500);
    await shop.addStock(sku, 10);
  });
  afterAll(async () => {
    if (proxy && !proxy.isOpen) await proxy.open(proxy.port);
    await t?.close();
    await proxy?.cut();
  });

  const get = (url: string) => t.app.inject({ method: 'GET', url });
  const metric = async (line: RegExp) => {
    const m = line.exec((await get('/metrics')).body);
    return m ? Number(m[1]) : 0;
  };

  it('with Redis up: ready, and the product detail is cached', async () => {
    expect((await get('/readyz')).json()).toMatchObject({ status: 'ok', checks: { cache: 'up' } });
    expect(productId).toBeTruthy();
    expect((await get(`/api/v1/products/${productId}`)).statusCode).toBe(200);
  });

  it('with Redis unreachable: degraded but ready; browse, cart and checkout answer as before; the error metric rises', async () => {
    await proxy.cut();
    const ready = await get('/readyz');
    expect(ready.statusCode).toBe(200);
    expect(ready.json()).toMatchObject({ status: 'degraded', checks: { database: 'up', cache: 'down' } });

    const detail = await get(`/api/v1/products/${productId}`);
    expect(detail.statusCode, detail.body).toBe(200);
    expect(detail.json().variants.map((v: { sku: string }) => v.sku)).toContain(sku);
    expect((await get('/api/v1/products?limit=5')).statusCode).toBe(200);

    const cartId = await readyCart(t, { lines: [{ sku, quantity: 2 }], email: 'redis-outage@example.com' });
    const placed = await checkout(t, cartId, 'tok_visa');
    expect(placed.statusCode, placed.body).toBe(201);
    expect(placed.json()).toMatchObject({ status: 'CONFIRMED' });
    // the stock it took shows at once (the availability cache is not trusted while it is away)
    const after = await get(`/api/v1/products/${productId}`);
    expect(after.json().variants.find((v: { sku: string }) => v.sku === sku).available).toBe(8);

    expect(await metric(/^cache_operations_total\{[^}]*result="error"[^}]*\} (\d+)/m)).toBeGreaterThan(0);
    expect(await metric(/^rate_limit_local_fallbacks_total (\d+)/m)).toBeGreaterThan(0);
  });

  it('limits each client per instance meanwhile: 429 with Retry-After once the budget is spent', async () => {
    let limited: Awaited<ReturnType<typeof get>> | undefined;
    for (let i = 0; i < LIMIT + 1 && !limited; i++) {
      const r = await get('/api/v1/region');
      if (r.statusCode === 429) limited = r;
      else expect(r.statusCode).toBe(200);
    }
    expect(limited?.json()).toMatchObject({ code: 'RATE_LIMITED' });
    expect(Number(limited?.headers['retry-after'])).toBeGreaterThan(0);
  });

  it('returns to Redis on its own when it is back', async () => {
    await proxy.open(proxy.port);
    await waitFor(
      'the cache to be up again',
      async () => (await get('/readyz')).json().checks.cache === 'up',
      15_000,
    );
    expect((await get('/readyz')).json()).toMatchObject({ status: 'ok' });
    // the shared budget counts again: a fresh window in Redis, so requests pass
    expect((await get('/api/v1/region')).statusCode).toBe(200);
  });
});
