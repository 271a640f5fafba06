import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../../support/app.js';
import { missing } from '../../support/skip.js';

const ADMIN = { ADMIN_EMAIL: 'catalog-admin@shop.example', ADMIN_PASSWORD: 'admin-password-1' };
let seq = 0;
const unique = (prefix: string) => `${prefix}-${Date.now().toString(36)}-${seq++}`;
const sku = (prefix: string) => unique(prefix).toUpperCase();

const pathsOf = (res: LightMyRequestResponse): string[] =>
  (res.json().errors ?? []).map((e: { path: string }) => e.path);

const expectProblem = (res: LightMyRequestResponse, status: number, code: string) => {
  expect(res.statusCode, res.body).toBe(status);
  expect(res.headers['content-type']).toContain('application/problem+json');
  expect(res.json()).toMatchObject({ status, code, requestId: res.headers['x-request-id'] });
};

describe.skipIf(missing('postgres'))('catalog over HTTP: admin and storefront routes', () => {
  let t: TestApp;
  let adminToken: string;
  let customerToken: string;

  const call = (
    method: 'GET' | 'POST' | 'PATCH' | 'DELETE',
    url: string,
    opts: { body?: unknown; token?: string | null; headers?: Record<string, string> } = {},
  ) =>
    t.app.inject({
      method,
      url,
      headers: {
        ...(opts.body !== undefined ? { 'content-type': 'application/json' } : {}),
        ...(opts.token === null ? {} : { authorization: `Bearer ${opts.token ?? adminToken}` }),
        ...opts.headers,
      },
      ...(opts.body !== undefined ? { payload: JSON.stringify(opts.body) } : {}),
    });
  const storefront = (url: string, headers: Record<string, string> = {}) =>
    call('GET', url, { token: null, headers });

  const createCategory = async (body: Record<string, unknown>) => {
    const res = await call('POST', '/api/v1/admin/categories', { body });
    expect(res.statusCode, res.body).toBe(201);
    return res.json();
  };

  const productBody = (over: Record<string, unknown> = {}) => ({
    slug: unique('lamp'),
    name: { en: 'Desk Lamp', de: 'Schreibtischlampe' },
    description: { en: 'A lamp for the desk.' },
    category: 'lighting',
    attributes: { brand: 'Lumen', dimmable: true, watts: 8 },
    status: 'active',
    variants: [
      { sku: sku('LAMP-W'), options: { colour: 'white' } },
      { sku: sku('LAMP-B'), options: { colour: 'black' } },
    ],
    ...over,
  });

  const createProduct = async (over: Record<string, unknown> = {}) => {
    const res = await call('POST', '/api/v1/admin/products', { body: productBody(over) });
    expect(res.statusCode, res.body).toBe(201);
    return res.json();
  };

  const outboxOf = async (productId: string) =>
    (await t.runtime.platform.dataSource.query(
      `SELECT type, subject, context, data FROM outbox WHERE subject = $1 ORDER BY seq`,
      [productId],
    )) as { type: string; subject: string; context: string; data: unknown }[];

  beforeAll(async () => {
    t = await startTestApp(ADMIN);
    const login = await call('POST', '/api/v1/auth/login', {
      token: null,
      body: { email: ADMIN.ADMIN_EMAIL, password: ADMIN.ADMIN_PASSWORD },
    });
    expect(login.statusCode, login.body).toBe(200);
    adminToken = login.json().accessToken;
    const reg = await call('POST', '/api/v1/auth/register', {
      token: null,
      body: { email: `${unique('shopper')}@example.com`, password: 'correct horse battery', name: 'Shopper' },
    });
    expect(reg.statusCode, reg.body).toBe(201);
    customerToken = reg.json().accessToken;
    await createCategory({ slug: 'home', name: { en: 'Home', de: 'Zuhause' } });
    await createCategory({ slug: 'lighting', name: { en: 'Lighting', de: 'Beleuchtung' }, parent: 'home' });
  });
  afterAll(async () => t?.close());

  describe('POST/PATCH /api/v1/admin/categories, GET /api/v1/categories', () => {
    it('creates categories under a parent and lists the tree localized, parents before children', async () => {
      const created = await createCategory({ slug: 'lamps', name: 'Lamps', parent: 'lighting' });
      expect(created).toEqual({
        id: expect.any(String),
        slug: 'lamps',
        name: { en: 'Lamps' },
        parent: 'lighting',
      });

      const en = await storefront('/api/v1/categories');
      expect(en.statusCode).toBe(200);
      const list = en.json() as { slug: string; name: string; parent: string | null }[];
      expect(list).toEqual(
        expect.arrayContaining([
          { slug: 'home', name: 'Home', parent: null },
          { slug: 'lighting', name: 'Lighting', parent: 'home' },
          { slug: 'lamps', name: 'Lamps', parent: 'lighting' },
        ]),
      );
      const order = list.map((c) => c.slug);
      expect(order.indexOf('home')).toBeLessThan(order.indexOf('lighting'));
      expect(order.indexOf('lighting')).toBeLessThan(order.indexOf('lamps'));

      const de = await storefront('/api/v1/categories', { 'accept-language': 'de-DE,de;q=0.9,en;q=0.5' });
      expect(de.json()).toEqual(
        expect.arrayContaining([
          { slug: 'lighting', name: 'Beleuchtung', parent: 'home' },
          // no German name: the default locale
          { slug: 'lamps', name: 'Lamps', parent: 'lighting' },
        ]),
      );
      expect(de.headers['content-language']).toBe('de');
    });

    it('answers 409 CONFLICT for a duplicate slug and 400 for an unknown parent', async () => {
      const dup = await call('POST', '/api/v1/admin/categories', { body: { slug: 'home', name: 'Again' } });
      expectProblem(dup, 409, 'CONFLICT');
      const orphan = await call('POST', '/api/v1/admin/categories', {
        body: { slug: unique('orphan'), name: 'Orphan', parent: 'no-such-category' },
      });
      expectProblem(orphan, 400, 'VALIDATION_FAILED');
      expect(pathsOf(orphan)).toEqual(['parent']);
    });

    it('lists every invalid field of a category, unknown fields and locales included', async () => {
      const res = await call('POST', '/api/v1/admin/categories', {
        body: { slug: 'Not A Slug', name: 42, colour: 'red' },
      });
      expectProblem(res, 400, 'VALIDATION_FAILED');
      expect(pathsOf(res)).toEqual(expect.arrayContaining(['slug', 'name']));
      expect(res.json().errors.length).toBeGreaterThanOrEqual(3);
      const locale = await call('POST', '/api/v1/admin/categories', {
        body: { slug: unique('spanish'), name: { es: 'Hogar' } },
      });
      expectProblem(locale, 400, 'VALIDATION_FAILED');
      expect(pathsOf(locale)).toEqual(expect.arrayContaining(['name.es', 'name.en']));
    });

    it('renames and moves a category, never under its own descendant', async () => {
      const root = await createCategory({ slug: unique('garden'), name: 'Garden' });
      const child = await createCategory({ slug: unique('tools'), name: 'Tools', parent: root.slug });
      const renamed = await call('PATCH', `/api/v1/admin/categories/${child.slug}`, {
        body: { name: { de: 'Werkzeug' }, parent: 'home' },
      });
      expect(renamed.statusCode, renamed.body).toBe(200);
      expect(renamed.json()).toMatchObject({
        slug: child.slug,
        name: { en: 'Tools', de: 'Werkzeug' },
        parent: 'home',
      });
      const cycle = await call('PATCH', '/api/v1/admin/categories/home', { body: { parent: child.slug } });
      expectProblem(cycle, 409, 'CONFLICT');
      expect(cycle.json().errors).toBeUndefined(); // `errors` only for validation (docs/product/api.md)
      expect(cycle.json().detail).toMatch(/descendants/);
      const missingOne = await call('PATCH', '/api/v1/admin/categories/no-such-category', {
        body: { name: 'x' },
      });
      expectProblem(missingOne, 404, 'NOT_FOUND');
    });

    it('requires an admin: 401 without a token, 403 for a customer', async () => {
      const body = { slug: unique('nope'), name: 'Nope' };
      expectProblem(
        await call('POST', '/api/v1/admin/categories', { body, token: null }),
        401,
        'UNAUTHENTICATED',
      );
      expectProblem(
        await call('POST', '/api/v1/admin/categories', { body, token: customerToken }),
        403,
        'FORBIDDEN',
      );
      expectProblem(
        await call('PATCH', '/api/v1/admin/categories/home', { body: { name: 'x' }, token: customerToken }),
        403,
        'FORBIDDEN',
      );
    });
  });

  describe('POST /api/v1/admin/products', () => {
    it('creates a product and answers the admin view; a string name is the default locale', async () => {
      const body = productBody({ name: 'Reading Lamp', description: undefined, taxClass: undefined });
      const res = await call('POST', '/api/v1/admin/products', { body });
      expect(res.statusCode, res.body).toBe(201);
      expect(res.json()).toEqual({
        id: expect.any(String),
        slug: body.slug,
        name: { en: 'Reading Lamp' },
        description: { en: '' },
        category: 'lighting',
        attributes: { brand: 'Lumen', dimmable: true, watts: 8 },
        status: 'active',
        taxClass: 'standard',
        variants: body.variants,
        createdAt: expect.any(String),
        updatedAt: expect.any(String),
      });
    });

    it('answers 409 CONFLICT for a duplicate slug and for a SKU of another product', async () => {
      const first = await createProduct();
      const dupSlug = await call('POST', '/api/v1/admin/products', {
        body: productBody({ slug: first.slug }),
      });
      expectProblem(dupSlug, 409, 'CONFLICT');
      expect(dupSlug.json().errors).toBeUndefined();
      expect(dupSlug.json().detail).toContain(first.slug);
      const takenSku = first.variants[0].sku as string;
      const dupSku = await call('POST', '/api/v1/admin/products', {
        body: productBody({ variants: [{ sku: takenSku.toLowerCase(), options: {} }] }),
      });
      expectProblem(dupSku, 409, 'CONFLICT');
      expect(dupSku.json().detail).toContain(takenSku);
    });

    it('lists every problem of a bad body: shape first, then the region and catalog rules', async () => {
      const shape = await call('POST', '/api/v1/admin/products', {
        body: {
          slug: 'Bad Slug',
          name: '',
          category: 'lighting',
          variants: [
            { sku: 'DUP-1', options: {} },
            { sku: 'dup-1', options: { size: 'M' } },
          ],
          price: 100,
        },
      });
      expectProblem(shape, 400, 'VALIDATION_FAILED');
      expect(pathsOf(shape)).toEqual(expect.arrayContaining(['slug', 'variants.1.sku']));
      expect(
        shape.json().errors.some((e: { message: string }) => /price|unrecognized/i.test(e.message)),
      ).toBe(true);

      const rules = await call('POST', '/api/v1/admin/products', {
        body: productBody({
          name: { es: 'Lámpara' },
          category: 'no-such-category',
          taxClass: 'luxury',
          variants: [{ sku: '-starts-with-dash', options: {} }],
        }),
      });
      expectProblem(rules, 400, 'VALIDATION_FAILED');
      expect(pathsOf(rules)).toEqual(
        expect.arrayContaining(['name.es', 'name.en', 'category', 'taxClass', 'variants.0.sku']),
      );
    });

    it('rejects a non-JSON body, an empty variant list and archived as a starting status', async () => {
      const notJson = await t.app.inject({
        method: 'POST',
        url: '/api/v1/admin/products',
        headers: { authorization: `Bearer ${adminToken}`, 'content-type': 'application/json' },
        payload: '{"slug":',
      });
      expectProblem(notJson, 400, 'VALIDATION_FAILED');
      const res = await call('POST', '/api/v1/admin/products', {
        body: productBody({ variants: [], status: 'archived' }),
      });
      expectProblem(res, 400, 'VALIDATION_FAILED');
      expect(pathsOf(res)).toEqual(expect.arrayContaining(['variants', 'status']));
    });

    it('requires an admin: 401 without a token, 403 for a customer', async () => {
      const body = productBody();
      expectProblem(
        await call('POST', '/api/v1/admin/products', { body, token: null }),
        401,
        'UNAUTHENTICATED',
      );
      expectProblem(
        await call('POST', '/api/v1/admin/products', { body, token: customerToken }),
        403,
        'FORBIDDEN',
      );
    });
  });

  describe('GET /api/v1/admin/products/:id', () => {
    it('shows a product in any status to admins only', async () => {
      const draft = await createProduct({ status: 'draft' });
      const res = await call('GET', `/api/v1/admin/products/${draft.id}`);
      expect(res.statusCode).toBe(200);
      expect(res.json()).toEqual(draft);
      expect(res.headers['cache-control']).toBe('no-store');
      expectProblem(
        await call('GET', `/api/v1/admin/products/${draft.id}`, { token: null }),
        401,
        'UNAUTHENTICATED',
      );
      expectProblem(
        await call('GET', `/api/v1/admin/products/${draft.id}`, { token: customerToken }),
        403,
        'FORBIDDEN',
      );
      expectProblem(
        await call('GET', '/api/v1/admin/products/0194f3a0-0000-7000-8000-00000000dead'),
        404,
        'NOT_FOUND',
      );
      const bad = await call('GET', '/api/v1/admin/products/not-a-uuid');
      expectProblem(bad, 400, 'VALIDATION_FAILED');
      expect(pathsOf(bad)).toEqual(['params.id']);
    });
  });

  describe('PATCH /api/v1/admin/products/:id', () => {
    it('changes a product; the storefront sees it on the next request', async () => {
      const p = await createProduct();
      const before = await storefront(`/api/v1/products/${p.slug}`);
      expect(before.json().name).toBe('Desk Lamp');
      const newSku = sku('LAMP-G');
      const res = await call('PATCH', `/api/v1/admin/products/${p.id}`, {
        body: {
          name: 'Desk Lamp Pro',
          attributes: { brand: 'Lumen' },
          variants: [{ sku: newSku, options: { colour: 'green' } }],
        },
      });
      expect(res.statusCode, res.body).toBe(200);
      expect(res.json()).toMatchObject({
        name: { en: 'Desk Lamp Pro', de: 'Schreibtischlampe' },
        attributes: { brand: 'Lumen' },
        variants: [{ sku: newSku, options: { colour: 'green' } }],
      });
      const after = await storefront(`/api/v1/products/${p.slug}`);
      expect(after.json()).toMatchObject({
        name: 'Desk Lamp Pro',
        attributes: { brand: 'Lumen' },
        variants: [{ sku: newSku, options: { colour: 'green' } }],
      });
      // a slug change moves the product: the old slug is gone at once
      const moved = await call('PATCH', `/api/v1/admin/products/${p.id}`, {
        body: { slug: unique('moved') },
      });
      expect(moved.statusCode).toBe(200);
      expect((await storefront(`/api/v1/products/${p.slug}`)).statusCode).toBe(404);
      expect((await storefront(`/api/v1/products/${moved.json().slug}`)).statusCode).toBe(200);
    });

    it('answers 404 for an unknown product and 400 for an empty or unknown body', async () => {
      expectProblem(
        await call('PATCH', '/api/v1/admin/products/0194f3a0-0000-7000-8000-00000000dead', {
          body: { name: 'x' },
        }),
        404,
        'NOT_FOUND',
      );
      const p = await createProduct();
      expectProblem(
        await call('PATCH', `/api/v1/admin/products/${p.id}`, { body: {} }),
        400,
        'VALIDATION_FAILED',
      );
      const unknown = await call('PATCH', `/api/v1/admin/products/${p.id}`, { body: { stock: 5 } });
      expectProblem(unknown, 400, 'VALIDATION_FAILED');
      const removeDefault = await call('PATCH', `/api/v1/admin/products/${p.id}`, {
        body: { name: { en: null } },
      });
      expectProblem(removeDefault, 400, 'VALIDATION_FAILED');
      expect(pathsOf(removeDefault)).toEqual(['name.en']);
    });

    it('answers 409 for a SKU or slug of another product, and for any change to an archived product', async () => {
      const a = await createProduct();
      const b = await createProduct();
      const sku409 = await call('PATCH', `/api/v1/admin/products/${b.id}`, {
        body: { variants: [{ sku: a.variants[1].sku, options: {} }] },
      });
      expectProblem(sku409, 409, 'CONFLICT');
      const slug409 = await call('PATCH', `/api/v1/admin/products/${b.id}`, { body: { slug: a.slug } });
      expectProblem(slug409, 409, 'CONFLICT');
      expect((await call('DELETE', `/api/v1/admin/products/${b.id}`)).statusCode).toBe(204);
      expectProblem(
        await call('PATCH', `/api/v1/admin/products/${b.id}`, { body: { name: 'Back again' } }),
        409,
        'CONFLICT',
      );
      expectProblem(
        await call('PATCH', `/api/v1/admin/products/${b.id}`, { body: { status: 'active' } }),
        409,
        'ILLEGAL_STATE_TRANSITION',
      );
    });

    it('requires an admin: 401 without a token, 403 for a customer', async () => {
      const p = await createProduct();
      const url = `/api/v1/admin/products/${p.id}`;
      expectProblem(await call('PATCH', url, { body: { name: 'x' }, token: null }), 401, 'UNAUTHENTICATED');
      expectProblem(
        await call('PATCH', url, { body: { name: 'x' }, token: customerToken }),
        403,
        'FORBIDDEN',
      );
    });
  });

  describe('DELETE /api/v1/admin/products/:id', () => {
    it('archives (204), idempotently, and the product leaves the storefront at once', async () => {
      const p = await createProduct();
      expect((await storefront(`/api/v1/products/${p.id}`)).statusCode).toBe(200);
      const first = await call('DELETE', `/api/v1/admin/products/${p.id}`);
      expect(first.statusCode).toBe(204);
      expect(first.body).toBe('');
      expect((await call('DELETE', `/api/v1/admin/products/${p.id}`)).statusCode).toBe(204);
      expectProblem(await storefront(`/api/v1/products/${p.id}`), 404, 'NOT_FOUND');
      expect((await call('GET', `/api/v1/admin/products/${p.id}`)).json().status).toBe('archived');
    });

    it('answers 404, 400, 401 and 403 where due', async () => {
      const p = await createProduct();
      expectProblem(
        await call('DELETE', '/api/v1/admin/products/0194f3a0-0000-7000-8000-00000000dead'),
        404,
        'NOT_FOUND',
      );
      expectProblem(await call('DELETE', '/api/v1/admin/products/123'), 400, 'VALIDATION_FAILED');
      expectProblem(
        await call('DELETE', `/api/v1/admin/products/${p.id}`, { token: null }),
        401,
        'UNAUTHENTICATED',
      );
      expectProblem(
        await call('DELETE', `/api/v1/admin/products/${p.id}`, { token: customerToken }),
        403,
        'FORBIDDEN',
      );
    });
  });

  describe('GET /api/v1/products/:idOrSlug', () => {
    it('serves an active product by slug or id, localized, with variants, prices and availability', async () => {
      const p = await createProduct();
      const bySlug = await storefront(`/api/v1/products/${p.slug}`);
      expect(bySlug.statusCode).toBe(200);
      expect(bySlug.json()).toEqual({
        id: p.id,
        slug: p.slug,
        name: 'Desk Lamp',
        description: 'A lamp for the desk.',
        category: 'lighting',
        attributes: { brand: 'Lumen', dimmable: true, watts: 8 },
        variants: p.variants.map((v: { sku: string; options: Record<string, string> }) => ({
          sku: v.sku,
          options: v.options,
          price: null,
          // no stock recorded in inventory for these SKUs yet
          inStock: false,
          available: 0,
        })),
      });
      const byId = await storefront(`/api/v1/products/${p.id}`);
      expect(byId.json()).toEqual(bySlug.json());
      const de = await storefront(`/api/v1/products/${p.slug}?locale=de-AT`);
      expect(de.json()).toMatchObject({ name: 'Schreibtischlampe', description: 'A lamp for the desk.' });
      expect(de.headers['content-language']).toBe('de');
      const fallback = await storefront(`/api/v1/products/${p.slug}?locale=es`);
      expect(fallback.json().name).toBe('Desk Lamp');
    });

    it('reports availability from inventory: the sellable quantity per variant, summed over the warehouses', async () => {
      const p = await createProduct();
      const warehouses = (await call('GET', '/api/v1/admin/warehouses')).json();
      const [sku, other] = p.variants.map((v: { sku: string }) => v.sku);
      for (const [i, w] of warehouses.entries()) {
        const res = await call('POST', '/api/v1/admin/inventory/adjustments', {
          body: { sku, warehouseId: w.id, delta: 3 + i, reason: 'delivery' },
        });
        expect(res.statusCode).toBe(201);
      }
      const detail = (await storefront(`/api/v1/products/${p.slug}`)).json();
      const bySku = Object.fromEntries(
        detail.variants.map((v: { sku: string; inStock: boolean; available: number }) => [v.sku, v]),
      );
      expect(bySku[sku]).toMatchObject({ inStock: true, available: 3 + 4 });
      expect(bySku[other]).toMatchObject({ inStock: false, available: 0 });
    });

    it('sends ETag and Cache-Control, and 304 without a body for a current If-None-Match', async () => {
      const p = await createProduct();
      const first = await storefront(`/api/v1/products/${p.slug}`);
      const etag = first.headers.etag as string;
      expect(etag).toMatch(/^"[A-Za-z0-9_-]+"$/);
      expect(first.headers['cache-control']).toBe('public, max-age=0, must-revalidate');
      expect(first.headers.vary).toContain('Accept-Language');
      const again = await storefront(`/api/v1/products/${p.slug}`, { 'if-none-match': etag });
      expect(again.statusCode).toBe(304);
      expect(again.body).toBe('');
      expect(again.headers.etag).toBe(etag);
      expect(
        (await storefront(`/api/v1/products/${p.slug}`, { 'if-none-match': `W/${etag}, "x"` })).statusCode,
      ).toBe(304);
      expect(
        (await storefront(`/api/v1/products/${p.slug}`, { 'if-none-match': '"stale"' })).statusCode,
      ).toBe(200);
    });

    it('answers 404 for drafts, archived and unknown products, and 400 for a malformed reference', async () => {
      const draft = await createProduct({ status: 'draft' });
      expectProblem(await storefront(`/api/v1/products/${draft.slug}`), 404, 'NOT_FOUND');
      expectProblem(await storefront('/api/v1/products/no-such-product'), 404, 'NOT_FOUND');
      const bad = await storefront('/api/v1/products/not_a_slug!');
      expectProblem(bad, 400, 'VALIDATION_FAILED');
      expect(pathsOf(bad)).toEqual(['params.idOrSlug']);
      const badQuery = await storefront(`/api/v1/products/${draft.slug}?locale=!!&debug=1`);
      expectProblem(badQuery, 400, 'VALIDATION_FAILED');
      expect(pathsOf(badQuery)).toEqual(expect.arrayContaining(['query.locale', 'query']));
    });
  });

  describe('GET /api/v1/products', () => {
    it('lists active products with the documented shape, ETag and 304', async () => {
      const p = await createProduct({ category: 'lighting' });
      const res = await storefront('/api/v1/products?category=home&limit=100');
      expect(res.statusCode).toBe(200);
      const body = res.json();
      expect(body).toEqual({
        items: expect.any(Array),
        nextCursor: null,
        facets: { categories: expect.any(Array) },
      });
      expect(body.items).toContainEqual({
        id: p.id,
        slug: p.slug,
        name: 'Desk Lamp',
        price: null,
        inStock: false,
        category: 'lighting',
      });
      const notModified = await storefront('/api/v1/products?category=home&limit=100', {
        'if-none-match': res.headers.etag as string,
      });
      expect(notModified.statusCode).toBe(304);
    });

    it('lists every invalid query parameter at once', async () => {
      const res = await storefront(
        '/api/v1/products?limit=0&sort=cheapest&minPrice=-1&maxPrice=abc&category=Not%20A%20Slug&colour=red&attr.bad%20name=x',
      );
      expectProblem(res, 400, 'VALIDATION_FAILED');
      expect(pathsOf(res)).toEqual(
        expect.arrayContaining([
          'query.limit',
          'query.sort',
          'query.minPrice',
          'query.maxPrice',
          'query.category',
          'query.colour',
          'query.attr.bad name',
        ]),
      );
      const range = await storefront('/api/v1/products?minPrice=500&maxPrice=100');
      expectProblem(range, 400, 'VALIDATION_FAILED');
      expect(pathsOf(range)).toEqual(['query.maxPrice']);
      const cursor = await storefront('/api/v1/products?cursor=bm90LWEtY3Vyc29y');
      expectProblem(cursor, 400, 'VALIDATION_FAILED');
      expect(pathsOf(cursor)).toEqual(['query.cursor']);
    });
  });

  describe('OpenAPI', () => {
    it('documents every catalog route with its parameters', async () => {
      const res = await storefront('/docs/openapi.json');
      expect(res.statusCode).toBe(200);
      const doc = res.json();
      for (const [path, method] of [
        ['/api/v1/products', 'get'],
        ['/api/v1/products/{idOrSlug}', 'get'],
        ['/api/v1/categories', 'get'],
        ['/api/v1/admin/products', 'post'],
        ['/api/v1/admin/products/{id}', 'get'],
        ['/api/v1/admin/products/{id}', 'patch'],
        ['/api/v1/admin/products/{id}', 'delete'],
        ['/api/v1/admin/categories', 'post'],
        ['/api/v1/admin/categories/{slug}', 'patch'],
      ]) {
        expect(doc.paths[path!]?.[method!], `${method} ${path}`).toBeDefined();
      }
      const listing = doc.paths['/api/v1/products'].get;
      expect(listing.parameters.map((p: { name: string }) => p.name)).toEqual(
        expect.arrayContaining([
          'q',
          'category',
          'minPrice',
          'maxPrice',
          'sort',
          'limit',
          'cursor',
          'locale',
        ]),
      );
      expect(doc.components.schemas.CatalogProductDetail).toBeDefined();
    });
  });

  describe('integration events', () => {
    it('writes ProductCreated, ProductUpdated and ProductArchived to the outbox with exactly {productId, slug, skus, status}', async () => {
      const p = await createProduct({ status: 'draft' });
      const skus = p.variants.map((v: { sku: string }) => v.sku);
      await call('PATCH', `/api/v1/admin/products/${p.id}`, { body: { status: 'active' } });
      // a PATCH that changes nothing writes no event
      await call('PATCH', `/api/v1/admin/products/${p.id}`, { body: { status: 'active' } });
      await call('DELETE', `/api/v1/admin/products/${p.id}`);
      await call('DELETE', `/api/v1/admin/products/${p.id}`);
      const events = await outboxOf(p.id);
      expect(events).toEqual([
        {
          type: 'shopcore.catalog.ProductCreated.v1',
          subject: p.id,
          context: 'catalog',
          data: { productId: p.id, slug: p.slug, skus, status: 'draft' },
        },
        {
          type: 'shopcore.catalog.ProductUpdated.v1',
          subject: p.id,
          context: 'catalog',
          data: { productId: p.id, slug: p.slug, skus, status: 'active' },
        },
        {
          type: 'shopcore.catalog.ProductArchived.v1',
          subject: p.id,
          context: 'catalog',
          data: { productId: p.id, slug: p.slug, skus, status: 'archived' },
        },
      ]);
    });

    it('writes nothing when a request fails', async () => {
      const p = await createProduct();
      const before = (await outboxOf(p.id)).length;
      const other = await createProduct();
      await call('PATCH', `/api/v1/admin/products/${p.id}`, {
        body: { name: 'Renamed', variants: [{ sku: other.variants[0].sku, options: {} }] },
      });
      expect((await outboxOf(p.id)).length).toBe(before);
      expect((await call('GET', `/api/v1/admin/products/${p.id}`)).json().name.en).toBe('Desk Lamp');
    });
  });
});
