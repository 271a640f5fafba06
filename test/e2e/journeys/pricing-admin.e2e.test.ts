import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../../support/app.js';
import { bearer, expectProblem, json, loginAs, shopAdmin } from '../../support/http.js';
import { missing } from '../../support/skip.js';
import { nextMillisecond } from '../../support/wait.js';

const ADMIN = { email: 'pricing-admin@shop.example', password: 'admin-password-1' };
let seq = 0;
const unique = (prefix: string) => `${prefix}-${Date.now().toString(36)}-${seq++}`.toUpperCase();

describe.skipIf(missing('postgres'))('pricing admin API', () => {
  let t: TestApp;
  let admin: Record<string, string>;
  let customer: Record<string, string>;

  beforeAll(async () => {
    t = await startTestApp({ ADMIN_EMAIL: ADMIN.email, ADMIN_PASSWORD: ADMIN.password });
    admin = await loginAs(t, ADMIN);
    const reg = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/register',
      ...json({
        email: `pricing-shopper-${Date.now()}@example.com`,
        password: 'correct horse battery',
        name: 'Shopper',
      }),
    });
    expect(reg.statusCode).toBe(201);
    customer = bearer(reg.json().accessToken);
  });
  afterAll(async () => t?.close());

  /** A catalog product with these SKUs: prices are kept only for SKUs the catalog knows. */
  const catalogSkus = async (...skus: string[]) => {
    await shopAdmin(t, admin).createProduct(skus, { name: 'Priced thing', description: 'Has a price' });
  };
  const putPrice = (sku: string, body: unknown, headers = admin) =>
    t.app.inject({ method: 'PUT', url: `/api/v1/admin/prices/${sku}`, ...json(body, headers) });
  const getPrice = (sku: string, headers = admin) =>
    t.app.inject({ method: 'GET', url: `/api/v1/admin/prices/${sku}`, headers });
  const createPromotion = (body: unknown, headers = admin) =>
    t.app.inject({ method: 'POST', url: '/api/v1/admin/promotions', ...json(body, headers) });
  const priceEvents = async (sku: string) =>
    (await t.runtime.platform.dataSource.query(
      `SELECT type, source, subject, context, data FROM outbox WHERE context = 'pricing' AND subject = $1 ORDER BY seq`,
      [sku],
    )) as { type: string; source: string; subject: string; context: string; data: Record<string, unknown> }[];

  it('documents every pricing route in the OpenAPI document', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/docs/openapi.json' });
    expect(res.statusCode).toBe(200);
    const paths = res.json().paths as Record<string, Record<string, unknown>>;
    expect(Object.keys(paths['/api/v1/admin/prices/{sku}'] ?? {}).sort()).toEqual(['get', 'put']);
    expect(Object.keys(paths['/api/v1/admin/promotions'] ?? {}).sort()).toEqual(['get', 'post']);
    expect(Object.keys(paths['/api/v1/admin/promotions/{code}'] ?? {})).toEqual(['get']);
  });

  describe('PUT /api/v1/admin/prices/:sku', () => {
    it('sets a price (200) and publishes PriceChanged {sku, amount, currency} only when the amount changes', async () => {
      const sku = unique('tee-red-m');
      await catalogSkus(sku);
      const first = await putPrice(sku, { amount: 1999 });
      expect(first.statusCode).toBe(200);
      const body = first.json();
      expect(body).toEqual({ sku, price: { amount: 1999, currency: 'EUR' }, updatedAt: expect.any(String) });
      expect(new Date(body.updatedAt).toISOString()).toBe(body.updatedAt);

      const same = await putPrice(sku, { amount: 1999 });
      expect(same.statusCode).toBe(200);
      expect(same.json()).toEqual(body); // unchanged, same updatedAt

      const changed = await putPrice(sku, { amount: 0 });
      expect(changed.statusCode).toBe(200);
      expect(changed.json().price).toEqual({ amount: 0, currency: 'EUR' });

      const events = await priceEvents(sku);
      expect(events).toHaveLength(2);
      for (const e of events) {
        expect(e.type).toBe('shopcore.pricing.PriceChanged.v1');
        expect(e.source).toBe('urn:shopcore:eu:pricing');
        expect(e.subject).toBe(sku);
      }
      expect(events.map((e) => e.data)).toEqual([
        { sku, amount: 1999, currency: 'EUR' },
        { sku, amount: 0, currency: 'EUR' },
      ]);

      const read = await getPrice(sku);
      expect(read.statusCode).toBe(200);
      expect(read.json()).toEqual(changed.json());
    });

    it('accepts the largest amount and SKUs with dots, dashes and underscores', async () => {
      const sku = `Sku.${seq++}_x-${Date.now()}`;
      await catalogSkus(sku);
      const res = await putPrice(sku, { amount: 100_000_000 });
      expect(res.statusCode).toBe(200);
      expect(res.json().sku).toBe(sku);
    });

    it.each([
      ['a negative amount', { amount: -1 }],
      ['a fractional amount', { amount: 1.5 }],
      ['a string amount', { amount: 'x' }],
      ['a numeric string', { amount: '100' }],
      ['an amount above 100,000,000', { amount: 100_000_001 }],
      ['no amount', {}],
      ['null', { amount: null }],
    ])('answers 400 VALIDATION_FAILED for %s', async (_name, body) => {
      const res = await putPrice(unique('sku'), body);
      expectProblem(res, 400, 'VALIDATION_FAILED', ['amount']);
    });

    it('answers 400 for unknown fields and lists every offending field', async () => {
      const res = await putPrice(unique('sku'), { amount: -5, currency: 'USD' });
      const body = expectProblem(res, 400, 'VALIDATION_FAILED', ['amount']);
      expect(body.errors?.length).toBeGreaterThanOrEqual(2);
      expect(JSON.stringify(body.errors)).toContain('currency');
    });

    it.each(['-starts-with-dash', 'has%20space', 'x'.repeat(65), 'ümlaut', 'semi;colon'])(
      'answers 400 for the SKU %s',
      async (sku) => {
        expectProblem(await putPrice(sku, { amount: 100 }), 400, 'VALIDATION_FAILED', ['params.sku']);
        expectProblem(await getPrice(sku), 400, 'VALIDATION_FAILED', ['params.sku']);
      },
    );

    it('answers 400 for a body that is not JSON', async () => {
      const res = await t.app.inject({
        method: 'PUT',
        url: `/api/v1/admin/prices/${unique('sku')}`,
        payload: '{"amount": ',
        headers: { ...admin, 'content-type': 'application/json' },
      });
      expectProblem(res, 400, 'VALIDATION_FAILED');
    });

    it('answers 401 without a token and 403 for a customer, before looking at the body', async () => {
      const sku = unique('sku');
      expectProblem(await putPrice(sku, { amount: 100 }, {}), 401, 'UNAUTHENTICATED');
      expectProblem(await putPrice(sku, { amount: -1 }, {}), 401, 'UNAUTHENTICATED');
      expectProblem(await putPrice(sku, { amount: 100 }, bearer('not.a.token')), 401, 'UNAUTHENTICATED');
      expectProblem(await putPrice(sku, { amount: 100 }, customer), 403, 'FORBIDDEN');
      expectProblem(await getPrice(sku, {}), 401, 'UNAUTHENTICATED');
      expectProblem(await getPrice(sku, customer), 403, 'FORBIDDEN');
      expect(await priceEvents(sku)).toEqual([]);
      expectProblem(await getPrice(sku), 404, 'NOT_FOUND');
    });
  });

  describe('GET /api/v1/admin/prices/:sku', () => {
    it('answers 404 NOT_FOUND on PUT for a SKU the catalog does not know', async () => {
      const sku = unique('not-in-catalog');
      expectProblem(await putPrice(sku, { amount: 100 }), 404, 'NOT_FOUND');
      expect(await priceEvents(sku)).toEqual([]);
    });

    it('answers 404 NOT_FOUND for a SKU without a price', async () => {
      expectProblem(await getPrice(unique('never-priced')), 404, 'NOT_FOUND');
    });
  });

  describe('promotions', () => {
    it('creates a percentage promotion (201) with its view, code upper-cased', async () => {
      const code = unique('spring');
      const res = await createPromotion({
        code: code.toLowerCase(),
        type: 'percentage',
        value: 15,
        minSubtotal: 5000,
        startsAt: '2026-03-01T00:00:00Z',
        endsAt: '2026-03-31T23:59:59.000+02:00',
        usageLimit: 100,
      });
      expect(res.statusCode).toBe(201);
      expect(res.json()).toEqual({
        id: expect.stringMatching(/^[0-9a-f-]{36}$/),
        code,
        type: 'percentage',
        value: 15,
        amount: null,
        minSubtotal: { amount: 5000, currency: 'EUR' },
        startsAt: '2026-03-01T00:00:00.000Z',
        endsAt: '2026-03-31T21:59:59.000Z',
        usageLimit: 100,
        usedCount: 0,
        createdAt: expect.any(String),
      });
      const read = await t.app.inject({
        method: 'GET',
        url: `/api/v1/admin/promotions/${code.toLowerCase()}`,
        headers: admin,
      });
      expect(read.statusCode).toBe(200);
      expect(read.json()).toEqual(res.json());
    });

    it('creates a fixed promotion with defaults: no minimum, no window, unlimited', async () => {
      const code = unique('fiver');
      const res = await createPromotion({ code, type: 'fixed', value: 500 });
      expect(res.statusCode).toBe(201);
      expect(res.json()).toMatchObject({
        code,
        type: 'fixed',
        value: 500,
        amount: { amount: 500, currency: 'EUR' },
        minSubtotal: null,
        startsAt: null,
        endsAt: null,
        usageLimit: null,
        usedCount: 0,
      });
    });

    it('replays the first response for a repeated Idempotency-Key instead of answering 409', async () => {
      const body = { code: unique('idem'), type: 'fixed', value: 250 };
      const key = { ...admin, 'idempotency-key': `promo-${body.code}` };
      const first = await createPromotion(body, key);
      const replay = await createPromotion(body, key);
      expect(first.statusCode).toBe(201);
      expect(replay.statusCode).toBe(201);
      expect(replay.json()).toEqual(first.json());
    });

    it('answers 409 CONFLICT for a code that exists, whatever its case', async () => {
      const code = unique('dup');
      expect((await createPromotion({ code, type: 'fixed', value: 100 })).statusCode).toBe(201);
      expectProblem(
        await createPromotion({ code: code.toLowerCase(), type: 'percentage', value: 5 }),
        409,
        'CONFLICT',
      );
    });

    it.each([
      ['percentage 0', { type: 'percentage', value: 0 }, ['value']],
      ['percentage 101', { type: 'percentage', value: 101 }, ['value']],
      ['percentage 12.5', { type: 'percentage', value: 12.5 }, ['value']],
      ['fixed 0', { type: 'fixed', value: 0 }, ['value']],
      ['an unknown type', { type: 'bogo', value: 10 }, ['type']],
      ['a missing value', { type: 'fixed' }, ['value']],
      [
        'endsAt before startsAt',
        { type: 'fixed', value: 10, startsAt: '2026-05-01T00:00:00Z', endsAt: '2026-04-01T00:00:00Z' },
        ['endsAt'],
      ],
      [
        'endsAt equal to startsAt',
        { type: 'fixed', value: 10, startsAt: '2026-05-01T00:00:00Z', endsAt: '2026-05-01T00:00:00Z' },
        ['endsAt'],
      ],
      ['a date that is not ISO-8601', { type: 'fixed', value: 10, startsAt: 'tomorrow' }, ['startsAt']],
      ['usageLimit 0', { type: 'fixed', value: 10, usageLimit: 0 }, ['usageLimit']],
      ['a negative minSubtotal', { type: 'fixed', value: 10, minSubtotal: -1 }, ['minSubtotal']],
    ])('answers 400 for %s', async (_name, fields, paths) => {
      const res = await createPromotion({ code: unique('bad'), ...fields });
      expectProblem(res, 400, 'VALIDATION_FAILED', paths);
    });

    it('answers 400 for a bad code and for unknown fields, listing every offending field', async () => {
      const res = await createPromotion({ code: 'a!', type: 'percentage', value: 101, stackable: true });
      const body = expectProblem(res, 400, 'VALIDATION_FAILED', ['code', 'value']);
      expect(JSON.stringify(body.errors)).toContain('stackable');
    });

    it('answers 401 without a token and 403 for a customer', async () => {
      const body = { code: unique('auth'), type: 'fixed', value: 100 };
      expectProblem(await createPromotion(body, {}), 401, 'UNAUTHENTICATED');
      expectProblem(await createPromotion(body, customer), 403, 'FORBIDDEN');
      for (const url of ['/api/v1/admin/promotions', `/api/v1/admin/promotions/${body.code}`]) {
        expectProblem(await t.app.inject({ method: 'GET', url }), 401, 'UNAUTHENTICATED');
        expectProblem(await t.app.inject({ method: 'GET', url, headers: customer }), 403, 'FORBIDDEN');
      }
      expectProblem(
        await t.app.inject({ method: 'GET', url: `/api/v1/admin/promotions/${body.code}`, headers: admin }),
        404,
        'NOT_FOUND',
      );
    });

    it('answers 404 for an unknown code and 400 for a malformed one', async () => {
      const get = (code: string) =>
        t.app.inject({ method: 'GET', url: `/api/v1/admin/promotions/${code}`, headers: admin });
      expectProblem(await get('NO-SUCH-PROMO'), 404, 'NOT_FOUND');
      expectProblem(await get('x'), 400, 'VALIDATION_FAILED', ['params.code']);
    });

    it('lists promotions newest first with cursor pagination', async () => {
      const codes = [unique('page-a'), unique('page-b'), unique('page-c')];
      for (const code of codes) {
        expect((await createPromotion({ code, type: 'percentage', value: 5 })).statusCode).toBe(201);
        await nextMillisecond(); // distinct creation instants
      }
      const list = (query: string) =>
        t.app.inject({ method: 'GET', url: `/api/v1/admin/promotions${query}`, headers: admin });

      const seen: string[] = [];
      let cursor: string | null = null;
      let pages = 0;
      do {
        const res = await list(`?limit=2${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
        expect(res.statusCode).toBe(200);
        const page = res.json() as { items: { code: string }[]; nextCursor: string | null };
        expect(page.items.length).toBeLessThanOrEqual(2);
        seen.push(...page.items.map((p) => p.code));
        cursor = page.nextCursor;
        pages++;
      } while (cursor && pages < 100);
      expect(cursor).toBeNull();
      expect(new Set(seen).size).toBe(seen.length); // no duplicates across pages
      // the three newest, newest first
      expect(seen.slice(0, 3)).toEqual([...codes].reverse());

      const first = (await list('')).json();
      expect(first.items.length).toBe(Math.min(20, seen.length));

      expectProblem(await list('?limit=0'), 400, 'VALIDATION_FAILED', ['query.limit']);
      expectProblem(await list('?limit=101'), 400, 'VALIDATION_FAILED', ['query.limit']);
      expectProblem(await list('?cursor=garbage'), 400, 'VALIDATION_FAILED', ['query.cursor']);
    });
  });
});
