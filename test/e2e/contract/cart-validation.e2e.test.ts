import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCartServices } from '../../../src/cart/cart.plugin.js';
import { CartNotFoundError } from '../../../src/cart/domain/cart.errors.js';
import { ManualClock } from '../../../src/platform/clock.js';
import { asHandle } from '../../../src/platform/db/typeorm-unit-of-work.js';
import { startTestApp, type TestApp } from '../../support/app.js';
import { bearer, expectProblem, json, loginAs, shopAdmin } from '../../support/http.js';
import { missing } from '../../support/skip.js';

const ADMIN = { email: 'cart-validation-admin@shop.example', password: 'admin-password-1' };
let seq = 0;
const unique = (prefix: string) => `${prefix}-${Date.now().toString(36)}-${seq++}`.toUpperCase();
const DAY = 24 * 60 * 60 * 1000;

describe.skipIf(missing('postgres'))('cart API: bad inputs, stock, coupons, expiry', () => {
  let t: TestApp;
  let admin: Record<string, string>;
  let shop: ReturnType<typeof shopAdmin>;

  beforeAll(async () => {
    t = await startTestApp({ ADMIN_EMAIL: ADMIN.email, ADMIN_PASSWORD: ADMIN.password });
    admin = await loginAs(t, ADMIN);
    shop = shopAdmin(t, admin);
  });
  afterAll(async () => t?.close());

  const call = (
    method: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE',
    url: string,
    body?: unknown,
    auth = {},
  ) =>
    body === undefined
      ? t.app.inject({ method, url, headers: auth })
      : t.app.inject({ method, url, ...json(body, auth) });

  /** A product with these SKUs in `status`, each priced at `amount`; returns the product id. */
  const product = async (skus: string[], status = 'active', amount = 1000) => {
    const id = await shop.createProduct(skus, { status, name: 'Validated thing', description: 'x' });
    for (const sku of skus) await shop.setPrice(sku, amount);
    return id;
  };

  /** Stock through inventory's admin routes. */
  const stock = (sku: string, quantity: number) => shop.addStock(sku, quantity);

  const newCart = async (auth = {}) => {
    const r = await call('POST', '/api/v1/carts', {}, auth);
    expect(r.statusCode).toBe(201);
    return r.json().id as string;
  };
  const sellable = async (quantity = 500, amount = 1000) => {
    const sku = unique('val');
    await product([sku], 'active', amount);
    await stock(sku, quantity);
    return sku;
  };
  const promotion = async (body: Record<string, unknown>) => {
    const code = unique('P')
      .replace(/[^A-Z0-9_-]/g, '')
      .slice(0, 32);
    const r = await call(
      'POST',
      '/api/v1/admin/promotions',
      { code, type: 'percentage', value: 10, ...body },
      admin,
    );
    expect(r.statusCode, r.body).toBe(201);
    return code;
  };

  describe('quantities', () => {
    it.each([
      ['0', { quantity: 0 }],
      ['100', { quantity: 100 }],
      ['-1', { quantity: -1 }],
      ['"x"', { quantity: 'x' }],
      ['1.5', { quantity: 1.5 }],
      ['"2"', { quantity: '2' }],
      ['missing', {}],
    ])('POST items with quantity %s → 400 VALIDATION_FAILED naming quantity', async (_name, body) => {
      const cart = await newCart();
      expectProblem(
        await call('POST', `/api/v1/carts/${cart}/items`, { sku: 'ANY-1', ...body }),
        400,
        'VALIDATION_FAILED',
        ['quantity'],
      );
    });

    it.each([
      ['-1', -1],
      ['100', 100],
      ['"x"', 'x'],
      ['1.5', 1.5],
    ])('PATCH a line with quantity %s → 400', async (_name, quantity) => {
      const cart = await newCart();
      expectProblem(
        await call('PATCH', `/api/v1/carts/${cart}/items/ANY-1`, { quantity }),
        400,
        'VALIDATION_FAILED',
        ['quantity'],
      );
    });

    it('rejects unknown fields and a malformed SKU', async () => {
      const cart = await newCart();
      const body = expectProblem(
        await call('POST', `/api/v1/carts/${cart}/items`, { sku: '-bad sku', quantity: 1, price: 1 }),
        400,
        'VALIDATION_FAILED',
        ['sku'],
      );
      expect(JSON.stringify(body.errors)).toContain('price');
      expectProblem(
        await call('PATCH', `/api/v1/carts/${cart}/items/%20x`, { quantity: 1 }),
        400,
        'VALIDATION_FAILED',
        ['params.sku'],
      );
    });

    it('adds to an existing line, caps a line at 99 (409), PATCH sets and 0 removes, DELETE removes', async () => {
      const sku = await sellable(500);
      const other = await sellable(500);
      const cart = await newCart();
      expect((await call('POST', `/api/v1/carts/${cart}/items`, { sku, quantity: 90 })).statusCode).toBe(200);
      const more = await call('POST', `/api/v1/carts/${cart}/items`, { sku, quantity: 9 });
      expect(more.json().items).toEqual([expect.objectContaining({ sku, quantity: 99 })]);
      const capped = expectProblem(
        await call('POST', `/api/v1/carts/${cart}/items`, { sku, quantity: 1 }),
        409,
        'CONFLICT',
      );
      expect(capped.detail).toContain('at most 99');
      expect(capped.errors).toBeUndefined(); // `errors` only for validation (docs/product/api.md)
      const patched = await call('PATCH', `/api/v1/carts/${cart}/items/${sku}`, { quantity: 2 });
      expect(patched.statusCode).toBe(200);
      expect(patched.json().items).toEqual([expect.objectContaining({ sku, quantity: 2 })]);
      expect(patched.json().subtotal).toEqual({ amount: 2000, currency: 'EUR' });
      expectProblem(
        await call('PATCH', `/api/v1/carts/${cart}/items/${other}`, { quantity: 1 }),
        404,
        'NOT_FOUND',
      );
      expectProblem(await call('DELETE', `/api/v1/carts/${cart}/items/${other}`), 404, 'NOT_FOUND');
      await call('POST', `/api/v1/carts/${cart}/items`, { sku: other, quantity: 1 });
      const removed = await call('PATCH', `/api/v1/carts/${cart}/items/${sku}`, { quantity: 0 });
      expect(removed.json().items.map((i: { sku: string }) => i.sku)).toEqual([other]);
      const deleted = await call('DELETE', `/api/v1/carts/${cart}/items/${other}`);
      expect(deleted.statusCode).toBe(200);
      expect(deleted.json()).toMatchObject({ items: [], total: { amount: 0, currency: 'EUR' } });
    });
  });

  describe('creating a cart', () => {
    const raw = (
      method: 'POST' | 'DELETE',
      url: string,
      payload: string | undefined,
      headers: Record<string, string> = { 'content-type': 'application/json' },
    ) => t.app.inject({ method, url, headers, ...(payload === undefined ? {} : { payload }) });

    it('needs no body: a bare POST, an empty JSON body, an empty JSON object; rejects unknown fields', async () => {
      const bare = await raw('POST', '/api/v1/carts', undefined, {});
      expect(bare.statusCode).toBe(201);
      expect(bare.json()).toMatchObject({ customerId: null, currency: 'EUR', items: [] });
      // what many HTTP clients send: the JSON content type on every request, and nothing in it
      const empty = await raw('POST', '/api/v1/carts', '');
      expect(empty.statusCode, empty.body).toBe(201);
      expect(empty.json()).toMatchObject({ customerId: null, items: [] });
      expect(
        (await raw('POST', '/api/v1/carts', '', { 'content-type': 'application/json; charset=utf-8' }))
          .statusCode,
      ).toBe(201);
      expect((await raw('POST', '/api/v1/carts', '{}')).statusCode).toBe(201);
      expectProblem(await raw('POST', '/api/v1/carts', '{"customerId":"x"}'), 400, 'VALIDATION_FAILED');
      expectProblem(await raw('POST', '/api/v1/carts', '{'), 400, 'VALIDATION_FAILED');
      expectProblem(await raw('POST', '/api/v1/carts', ' '), 400, 'VALIDATION_FAILED');
      expectProblem(await raw('POST', '/api/v1/carts', '{"__proto__":{"x":1}}'), 400, 'VALIDATION_FAILED');
    });

    it('takes an empty JSON body as no body on the other routes that take none, and only there', async () => {
      const sku = await sellable();
      const cart = await newCart();
      await call('POST', `/api/v1/carts/${cart}/items`, { sku, quantity: 1 });
      expect((await raw('DELETE', `/api/v1/carts/${cart}/promotion`, '')).statusCode).toBe(200);
      const removed = await raw('DELETE', `/api/v1/carts/${cart}/items/${sku}`, '');
      expect(removed.statusCode, removed.body).toBe(200);
      expect(removed.json().items).toEqual([]);
      // a route whose body is required still says so
      expectProblem(await raw('POST', `/api/v1/carts/${cart}/items`, ''), 400, 'VALIDATION_FAILED');
      expectProblem(await raw('POST', `/api/v1/carts/${cart}/promotion`, ''), 400, 'VALIDATION_FAILED');
    });
  });

  describe('SKUs and carts that do not exist', () => {
    it('unknown SKU → 404', async () => {
      const cart = await newCart();
      expectProblem(
        await call('POST', `/api/v1/carts/${cart}/items`, { sku: unique('nope'), quantity: 1 }),
        404,
        'NOT_FOUND',
      );
    });

    it('a draft product and an archived product → 404; an archived line stays listed as unavailable', async () => {
      const draft = unique('draft');
      await product([draft], 'draft');
      await stock(draft, 10);
      const cart = await newCart();
      expectProblem(
        await call('POST', `/api/v1/carts/${cart}/items`, { sku: draft, quantity: 1 }),
        404,
        'NOT_FOUND',
      );

      const archived = unique('arch');
      const id = await product([archived]);
      await stock(archived, 10);
      expect(
        (await call('POST', `/api/v1/carts/${cart}/items`, { sku: archived, quantity: 1 })).statusCode,
      ).toBe(200);
      expect((await call('DELETE', `/api/v1/admin/products/${id}`, undefined, admin)).statusCode).toBe(204);
      expectProblem(
        await call('POST', `/api/v1/carts/${cart}/items`, { sku: archived, quantity: 1 }),
        404,
        'NOT_FOUND',
      );
      const read = await call('GET', `/api/v1/carts/${cart}`);
      expect(read.json()).toMatchObject({
        items: [],
        unavailable: [{ sku: archived, quantity: 1, reason: 'inactive' }],
        total: { amount: 0, currency: 'EUR' },
      });
    });

    it('unknown cart → 404 on every route; a malformed cart id → 400', async () => {
      const id = randomUUID();
      expectProblem(await call('GET', `/api/v1/carts/${id}`), 404, 'NOT_FOUND');
      expectProblem(
        await call('POST', `/api/v1/carts/${id}/items`, { sku: 'A-1', quantity: 1 }),
        404,
        'NOT_FOUND',
      );
      expectProblem(await call('PATCH', `/api/v1/carts/${id}/items/A-1`, { quantity: 1 }), 404, 'NOT_FOUND');
      expectProblem(await call('DELETE', `/api/v1/carts/${id}/promotion`), 404, 'NOT_FOUND');
      expectProblem(
        await call('PUT', `/api/v1/carts/${id}/email`, { email: 'a@example.com' }),
        404,
        'NOT_FOUND',
      );
      expectProblem(await call('GET', '/api/v1/carts/not-a-uuid'), 400, 'VALIDATION_FAILED', ['params.id']);
      expectProblem(
        await call('POST', '/api/v1/carts/123/items', { sku: 'A-1', quantity: 1 }),
        400,
        'VALIDATION_FAILED',
        ['params.id'],
      );
    });

    it('an invalid token is 401, even on the optional-auth cart routes', async () => {
      expectProblem(await call('POST', '/api/v1/carts', {}, bearer('not.a.token')), 401, 'UNAUTHENTICATED');
    });
  });

  describe('stock', () => {
    it('adding more than is available → 409 OUT_OF_STOCK naming the SKU; the line total counts', async () => {
      const sku = await sellable(3);
      const cart = await newCart();
      const body = expectProblem(
        await call('POST', `/api/v1/carts/${cart}/items`, { sku, quantity: 4 }),
        409,
        'OUT_OF_STOCK',
        ['sku'],
      );
      expect(body.errors![0]!.message).toContain(sku);
      expect((await call('POST', `/api/v1/carts/${cart}/items`, { sku, quantity: 3 })).statusCode).toBe(200);
      expectProblem(
        await call('POST', `/api/v1/carts/${cart}/items`, { sku, quantity: 1 }),
        409,
        'OUT_OF_STOCK',
      );
      expectProblem(
        await call('PATCH', `/api/v1/carts/${cart}/items/${sku}`, { quantity: 4 }),
        409,
        'OUT_OF_STOCK',
      );
      expect((await call('PATCH', `/api/v1/carts/${cart}/items/${sku}`, { quantity: 2 })).statusCode).toBe(
        200,
      );
      const none = unique('no-stock'); // never stocked: inventory answers 0
      await product([none]);
      expectProblem(
        await call('POST', `/api/v1/carts/${cart}/items`, { sku: none, quantity: 1 }),
        409,
        'OUT_OF_STOCK',
      );
    });
  });

  describe('coupons', () => {
    it.each([
      ['unknown', async () => unique('NOSUCH').slice(0, 32)],
      [
        'expired',
        async () => promotion({ startsAt: '2020-01-01T00:00:00Z', endsAt: '2020-02-01T00:00:00Z' }),
      ],
      ['not_started', async () => promotion({ startsAt: '2999-01-01T00:00:00Z' })],
      ['min_subtotal_not_met', async () => promotion({ minSubtotal: 1_000_000 })],
      [
        'used_up',
        async () => {
          const code = await promotion({ usageLimit: 1 });
          await t.runtime.platform.dataSource.transaction((m) =>
            t.runtime.modules.pricing.facade.redeemPromotion(code, randomUUID(), asHandle(m)),
          );
          return code;
        },
      ],
    ])('a %s coupon → 409 CONFLICT with the reason', async (reason, makeCode) => {
      const code = await makeCode();
      const sku = await sellable();
      const cart = await newCart();
      await call('POST', `/api/v1/carts/${cart}/items`, { sku, quantity: 1 });
      const body = expectProblem(
        await call('POST', `/api/v1/carts/${cart}/promotion`, { code }),
        409,
        'CONFLICT',
      );
      expect(body.errors).toBeUndefined();
      expect(body.detail).toContain(`(${reason})`);
      expect((await call('GET', `/api/v1/carts/${cart}`)).json().promotionCode).toBeNull();
    });

    it('a kept coupon that stops applying shows discount 0 and why; DELETE removes it', async () => {
      const code = await promotion({ type: 'fixed', value: 500, minSubtotal: 3000 });
      const sku = await sellable(100, 1000);
      const cart = await newCart();
      await call('POST', `/api/v1/carts/${cart}/items`, { sku, quantity: 3 });
      const applied = await call('POST', `/api/v1/carts/${cart}/promotion`, { code });
      expect(applied.statusCode).toBe(200);
      expect(applied.json()).toMatchObject({
        discount: { amount: 500, currency: 'EUR' },
        total: { amount: 2500, currency: 'EUR' },
        promotion: { code, applied: true },
      });
      const dropped = await call('PATCH', `/api/v1/carts/${cart}/items/${sku}`, { quantity: 2 });
      expect(dropped.json()).toMatchObject({
        promotionCode: code,
        discount: { amount: 0, currency: 'EUR' },
        total: { amount: 2000, currency: 'EUR' },
        promotion: { code, applied: false, reason: 'min_subtotal_not_met' },
      });
      const removed = await call('DELETE', `/api/v1/carts/${cart}/promotion`);
      expect(removed.statusCode).toBe(200);
      expect(removed.json()).toMatchObject({ promotionCode: null, promotion: null });
    });
  });

  describe('shipping and email', () => {
    const address = { name: 'A', line1: 'L1', city: 'C', postalCode: 'P', country: 'FR' };

    it('an unknown shipping option → 400 naming option; a bad address → 400 naming its fields', async () => {
      const cart = await newCart();
      expectProblem(
        await call('PUT', `/api/v1/carts/${cart}/shipping`, { address, option: 'teleport' }),
        400,
        'VALIDATION_FAILED',
        ['option'],
      );
      expectProblem(
        await call('PUT', `/api/v1/carts/${cart}/shipping`, {
          address: { ...address, country: 'France', city: '' },
          option: 'express',
        }),
        400,
        'VALIDATION_FAILED',
        ['address.country', 'address.city'],
      );
      const ok = await call('PUT', `/api/v1/carts/${cart}/shipping`, { address, option: 'express' });
      expect(ok.json()).toMatchObject({
        shippingOption: 'express',
        shipping: { amount: 1295, currency: 'EUR' },
      });
    });

    it('a guest cart takes an email; a customer cart answers 409; a bad email is 400', async () => {
      const guest = await newCart();
      expectProblem(
        await call('PUT', `/api/v1/carts/${guest}/email`, { email: 'nope' }),
        400,
        'VALIDATION_FAILED',
        ['email'],
      );
      const ok = await call('PUT', `/api/v1/carts/${guest}/email`, { email: 'guest@example.com' });
      expect(ok.json().email).toBe('guest@example.com');

      const reg = await call('POST', '/api/v1/auth/register', {
        email: `cart-val-${Date.now()}-${seq++}@example.com`,
        password: 'correct horse battery',
        name: 'V',
      });
      const auth = bearer(reg.json().accessToken);
      const own = await newCart(auth);
      const taken = expectProblem(
        await call('PUT', `/api/v1/carts/${own}/email`, { email: 'x@example.com' }, auth),
        409,
        'CONFLICT',
      );
      expect(taken.detail).toMatch(/only guest carts/);
      // anonymous callers do not see it at all
      expectProblem(
        await call('PUT', `/api/v1/carts/${own}/email`, { email: 'x@example.com' }),
        404,
        'NOT_FOUND',
      );
    });
  });

  // last: the sweeper pass runs 60 days ahead and expires every cart of this test database
  describe('idle expiry', () => {
    it('a cart untouched for 30 days is 404; every change moves the expiry; the sweeper marks it expired', async () => {
      const { modules, platform } = t.runtime;
      const clock = new ManualClock(new Date());
      const carts = createCartServices({
        dataSource: platform.dataSource,
        currency: 'EUR',
        clock,
        deps: {
          catalog: modules.catalog.facade,
          pricing: modules.pricing.facade,
          inventory: modules.inventory.facade,
        },
      });
      const sku = await sellable(10);
      const id = await newCart();
      expect((await call('POST', `/api/v1/carts/${id}/items`, { sku, quantity: 1 })).statusCode).toBe(200);

      clock.advance(29 * DAY);
      await carts.setEmail.execute(id, null, 'idle@example.com'); // touched on day 29: expires on day 59
      clock.advance(29 * DAY);
      expect((await carts.get.execute(id, null)).expiresAt.getTime()).toBeGreaterThan(clock.now().getTime());
      clock.advance(2 * DAY);
      await expect(carts.get.execute(id, null)).rejects.toBeInstanceOf(CartNotFoundError);
      await expect(carts.addItem.execute(id, null, sku, 1)).rejects.toBeInstanceOf(CartNotFoundError);

      const swept = await carts.sweep.execute(0);
      expect(swept.expired).toBeGreaterThanOrEqual(1);
      expect(swept.purgedLines).toBeGreaterThanOrEqual(1);
      const [row] = await platform.dataSource.query(
        `SELECT status, (SELECT count(*)::int FROM cart_lines WHERE cart_id = $1) AS lines FROM cart_carts WHERE id = $1`,
        [id],
      );
      expect(row).toEqual({ status: 'expired', lines: 0 });
      expectProblem(await call('GET', `/api/v1/carts/${id}`), 404, 'NOT_FOUND');
    });
  });
});
