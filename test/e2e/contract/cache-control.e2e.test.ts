import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../../support/app.js';
import { bearer, json } from '../../support/http.js';
import { newOrder, placeOrder } from '../../support/orders.js';
import { missing } from '../../support/skip.js';

const expectNoStore = (res: LightMyRequestResponse, status: number, what: string) => {
  expect(res.statusCode, `${what}: ${res.body}`).toBe(status);
  expect(res.headers['cache-control'], what).toBe('no-store');
};

/** Responses that carry tokens or personal data are never cached: auth, /me, carts, orders, admin — errors too. */
describe.skipIf(missing('postgres'))('Cache-Control: no-store', () => {
  let t: TestApp;
  const credentials = { email: `no-store-${Date.now()}@example.com`, password: 'a long password' };
  let tokens: { accessToken: string; refreshToken: string };
  beforeAll(async () => {
    t = await startTestApp();
    const reg = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/register',
      ...json({ email: `no-store-me-${Date.now()}@example.com`, password: 'a long password', name: 'Me' }),
    });
    expect(reg.statusCode, reg.body).toBe(201);
    tokens = reg.json();
  });
  afterAll(async () => t?.close());

  const call = (method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE', url: string, opts = {}) =>
    t.app.inject({ method, url, ...opts });

  it('on /api/v1/auth/*: tokens, their replays and every error', async () => {
    const reg = await call('POST', '/api/v1/auth/register', json({ ...credentials, name: 'No Store' }));
    expectNoStore(reg, 201, 'register');
    expectNoStore(await call('POST', '/api/v1/auth/register', json({ email: 'x' })), 400, 'register invalid');
    const login = await call('POST', '/api/v1/auth/login', json(credentials, { 'idempotency-key': 'ns-1' }));
    expectNoStore(login, 200, 'login');
    const replay = await call('POST', '/api/v1/auth/login', json(credentials, { 'idempotency-key': 'ns-1' }));
    expect(replay.headers['idempotent-replayed']).toBe('true');
    expectNoStore(replay, 200, 'login replayed');
    expectNoStore(
      await call('POST', '/api/v1/auth/login', json({ ...credentials, password: 'wrong password!' })),
      401,
      'login refused',
    );
    expectNoStore(
      await call('POST', '/api/v1/auth/refresh', json({ refreshToken: 'not-a-token' })),
      401,
      'refresh refused',
    );
    expectNoStore(await call('POST', '/api/v1/auth/logout'), 401, 'logout without a token');
  });

  it('on /api/v1/me*: profile, addresses, export and their errors', async () => {
    const me = bearer(tokens.accessToken);
    expectNoStore(await call('GET', '/api/v1/me', { headers: me }), 200, 'GET /me');
    expectNoStore(await call('GET', '/api/v1/me/', { headers: me }), 200, 'GET /me/ (trailing slash)');
    expectNoStore(await call('GET', '/api/v1/me'), 401, 'GET /me anonymous');
    expectNoStore(await call('PATCH', '/api/v1/me', json({ name: 'Still No Store' }, me)), 200, 'PATCH /me');
    const address = { name: 'N S', line1: '1 Main St', city: 'Dublin', postalCode: 'D01', country: 'IE' };
    expectNoStore(await call('POST', '/api/v1/me/addresses', json(address, me)), 201, 'POST address');
    expectNoStore(await call('GET', '/api/v1/me/addresses', { headers: me }), 200, 'GET addresses');
    expectNoStore(
      await call('PATCH', `/api/v1/me/addresses/${crypto.randomUUID()}`, json({ city: 'Cork' }, me)),
      404,
      'PATCH unknown address',
    );
    expectNoStore(await call('GET', '/api/v1/me/export', { headers: me }), 200, 'GET export');
  });

  it('on /api/v1/carts*: carts (whose id is their secret) and their errors', async () => {
    const created = await call('POST', '/api/v1/carts');
    expectNoStore(created, 201, 'POST /carts');
    const id = created.json().id as string;
    expectNoStore(await call('GET', `/api/v1/carts/${id}`), 200, 'GET cart');
    expectNoStore(
      await call('PUT', `/api/v1/carts/${id}/email`, json({ email: 'guest@example.com' })),
      200,
      'PUT email',
    );
    expectNoStore(await call('GET', `/api/v1/carts/${crypto.randomUUID()}`), 404, 'unknown cart');
    expectNoStore(await call('GET', '/api/v1/carts/not-a-uuid'), 400, 'malformed cart id');
    expectNoStore(
      await call('POST', `/api/v1/carts/${id}/items`, json({ sku: 'NO-SUCH-SKU', quantity: 1 })),
      404,
      'unknown SKU',
    );
    expectNoStore(
      await call('GET', `/api/v1/carts/${id}/no/such/route`),
      404,
      'unmatched route under /carts',
    );
    expectNoStore(
      await call('GET', `/api/v1/carts/${id}`, { headers: bearer('not-a-token') }),
      401,
      'invalid token',
    );
  });

  it('on /api/v1/orders* and /api/v1/admin/*: orders (personal data), staff answers and their errors', async () => {
    const me = bearer(tokens.accessToken);
    const customerId = (await call('GET', '/api/v1/me', { headers: me })).json().id as string;
    const order = await placeOrder(
      t.runtime.platform.dataSource,
      t.runtime.modules.orders.facade,
      newOrder({ customerId }),
    );
    expectNoStore(await call('GET', '/api/v1/orders', { headers: me }), 200, 'GET /orders');
    expectNoStore(await call('GET', `/api/v1/orders/${order.id}`, { headers: me }), 200, 'GET order');
    expectNoStore(await call('GET', '/api/v1/orders'), 401, 'GET /orders anonymous');
    expectNoStore(await call('GET', `/api/v1/orders/${crypto.randomUUID()}`), 404, 'unknown order');
    expectNoStore(await call('GET', '/api/v1/orders?limit=0', { headers: me }), 400, 'bad limit');
    expectNoStore(
      await call('GET', '/api/v1/admin/orders', { headers: me }),
      403,
      'admin orders as customer',
    );
    expectNoStore(await call('GET', `/api/v1/admin/orders/${order.id}`), 401, 'admin order anonymous');
    expectNoStore(await call('GET', '/api/v1/admin/warehouses', { headers: me }), 403, 'other admin routes');
    expectNoStore(await call('GET', '/api/v1/admin/no/such/route'), 404, 'unmatched route under /admin');
  });

  it('leaves other routes alone: the catalog keeps its own caching, other prefixes are not matched', async () => {
    const products = await call('GET', '/api/v1/products');
    expect(products.statusCode).toBe(200);
    expect(products.headers['cache-control']).toBe('public, max-age=0, must-revalidate');
    for (const url of ['/api/v1/meh', '/api/v1/ordersx', '/api/v1/administrators']) {
      const lookalike = await call('GET', url);
      expect(lookalike.statusCode).toBe(404);
      expect(lookalike.headers['cache-control'], url).toBeUndefined();
    }
    expect((await call('GET', '/healthz')).headers['cache-control']).toBeUndefined();
  });
});
