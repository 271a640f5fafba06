import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../../support/app.js';
import { bearer, expectProblem, json, loginAs, shopAdmin } from '../../support/http.js';
import { waitUntilQuiet } from '../../support/journey-checks.js';
import { missing } from '../../support/skip.js';
import { pollUntil } from '../../support/wait.js';

const ADMIN = { email: 'text-input-admin@shop.example', password: 'admin-password-1' };

/** Characters no single-line field takes (docs/architecture.md, "Input rules"). */
const CONTROLS = {
  NUL: '\u0000',
  BEL: '\u0007',
  'line feed': '\n',
  DEL: '\u007f',
  'C1 CSI': '\u009b',
} as const;
/** Not text at all: JSON can carry them (`"\ud800"`), UTF-8 and jsonb cannot. URLs cannot carry them. */
const SURROGATES = { 'lone high surrogate': '\ud800', 'lone low surrogate': '\udfff' } as const;

type Method = 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';
interface Case {
  route: string;
  /** where the bad value goes: a JSON body, or the URL (query string, path) */
  in: 'body' | 'url' | 'header';
  path: string;
  request: (bad: string) => { method: Method; url: string; body?: unknown; headers?: Record<string, string> };
}

const e = encodeURIComponent;

describe.skipIf(missing('postgres'))('text input: control characters and unpaired surrogates are 400', () => {
  let t: TestApp;
  let admin: Record<string, string>;
  let customer: Record<string, string>;
  let addressId: string;
  let productId: string;
  let categorySlug: string;
  let sku: string;
  let cartId: string;
  let warehouseId: string;
  let tables: string[];

  const send = (
    r: ReturnType<Case['request']>,
    auth: Record<string, string>,
  ): Promise<LightMyRequestResponse> =>
    r.body === undefined
      ? t.app.inject({ method: r.method, url: r.url, headers: { ...auth, ...r.headers } })
      : t.app.inject({ method: r.method, url: r.url, ...json(r.body, { ...auth, ...r.headers }) });

  /** Every row of every table, hashed: a request that is refused must not change it. */
  const fingerprint = async (): Promise<string> => {
    // what earlier steps wrote settles first: the relay marks outbox rows published, and the in-process
    // consumers they reach write their inbox rows, on their own time
    await pollUntil(
      async () =>
        (
          (await t.runtime.platform.dataSource.query(
            'SELECT count(*)::int AS n FROM outbox WHERE published_at IS NULL',
          )) as { n: number }[]
        )[0]!.n,
      (n) => n === 0,
      15_000,
    );
    const rows: { t: string; h: string }[] = await t.runtime.platform.dataSource.query(
      tables
        .map(
          (name) =>
            `SELECT '${name}' AS t, md5(coalesce(string_agg(x::text, '|' ORDER BY x::text), '')) AS h FROM ${name} x`,
        )
        .join(' UNION ALL '),
    );
    return rows.map((r) => `${r.t}:${r.h}`).join(',');
  };

  beforeAll(async () => {
    t = await startTestApp({ ADMIN_EMAIL: ADMIN.email, ADMIN_PASSWORD: ADMIN.password });
    admin = await loginAs(t, ADMIN);
    const reg = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/register',
      ...json({ email: 'ada@text.example', password: 'a long password', name: 'Ada' }),
    });
    expect(reg.statusCode, reg.body).toBe(201);
    customer = bearer(reg.json().accessToken);
    const address = await t.app.inject({
      method: 'POST',
      url: '/api/v1/me/addresses',
      ...json(
        { name: 'Ada', line1: '1 Main St', city: 'Dublin', postalCode: 'D01', country: 'IE' },
        customer,
      ),
    });
    expect(address.statusCode, address.body).toBe(201);
    addressId = address.json().id;
    const shop = shopAdmin(t, admin);
    sku = `TXT-${Date.now().toString(36)}`.toUpperCase();
    productId = await shop.createProduct([sku]);
    const product = await t.app.inject({
      method: 'GET',
      url: `/api/v1/admin/products/${productId}`,
      headers: admin,
    });
    categorySlug = product.json().category;
    await shop.setPrice(sku, 1000);
    await shop.addStock(sku, 10);
    warehouseId = (
      await t.app.inject({ method: 'GET', url: '/api/v1/admin/warehouses', headers: admin })
    ).json()[0].id;
    const cart = await t.app.inject({ method: 'POST', url: '/api/v1/carts', ...json({}) });
    cartId = cart.json().id;
    await t.app.inject({
      method: 'POST',
      url: `/api/v1/carts/${cartId}/items`,
      ...json({ sku, quantity: 1 }),
    });
    tables = (
      await t.runtime.platform.dataSource.query(
        "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE' ORDER BY 1",
      )
    ).map((r: { table_name: string }) => r.table_name);
    // let the outbox relay and the consumers settle, so that only requests could change a row
    await waitUntilQuiet(t);
  });
  afterAll(async () => t?.close());

  const address = (bad: string) => ({
    name: 'Ada',
    line1: `1 Main${bad} St`,
    city: 'Dublin',
    postalCode: 'D01',
    country: 'IE',
  });

  /** Every string field the API takes, by route; `who` is the caller the route needs. */
  const cases = (): (Case & { who: 'anyone' | 'customer' | 'admin' })[] => [
    // identity
    ...(['email', 'password', 'name'] as const).map((field) => ({
      route: 'POST /api/v1/auth/register',
      in: 'body' as const,
      path: field,
      who: 'anyone' as const,
      request: (bad: string) => ({
        method: 'POST' as const,
        url: '/api/v1/auth/register',
        body: {
          email: 'new@text.example',
          password: 'another long password',
          name: 'New',
          [field]: field === 'email' ? `n${bad}@text.example` : `x${bad}xxxxxxxxxxx`,
        },
      }),
    })),
    ...(['email', 'password'] as const).map((field) => ({
      route: 'POST /api/v1/auth/login',
      in: 'body' as const,
      path: field,
      who: 'anyone' as const,
      request: (bad: string) => ({
        method: 'POST' as const,
        url: '/api/v1/auth/login',
        body: { email: 'ada@text.example', password: 'a long password', [field]: `a${bad}b` },
      }),
    })),
    {
      route: 'POST /api/v1/auth/refresh',
      in: 'body',
      path: 'refreshToken',
      who: 'anyone',
      request: (bad) => ({
        method: 'POST',
        url: '/api/v1/auth/refresh',
        body: { refreshToken: `rt_${bad}` },
      }),
    },
    {
      route: 'PATCH /api/v1/me',
      in: 'body',
      path: 'name',
      who: 'customer',
      request: (bad) => ({ method: 'PATCH', url: '/api/v1/me', body: { name: `Ada${bad}Lovelace` } }),
    },
    ...(['name', 'line1', 'line2', 'city', 'postalCode', 'country', 'phone'] as const).map((field) => ({
      route: 'POST /api/v1/me/addresses',
      in: 'body' as const,
      path: field,
      who: 'customer' as const,
      request: (bad: string) => ({
        method: 'POST' as const,
        url: '/api/v1/me/addresses',
        body: {
          ...address(''),
          line2: 'Flat 2',
          phone: '+353 1 234',
          [field]: field === 'country' ? `I${bad}` : `12${bad}34`,
        },
      }),
    })),
    {
      route: 'PATCH /api/v1/me/addresses/:id',
      in: 'body',
      path: 'city',
      who: 'customer',
      request: (bad) => ({
        method: 'PATCH',
        url: `/api/v1/me/addresses/${addressId}`,
        body: { city: `Cork${bad}` },
      }),
    },
    {
      route: 'POST /api/v1/admin/staff',
      in: 'body',
      path: 'name',
      who: 'admin',
      request: (bad) => ({
        method: 'POST',
        url: '/api/v1/admin/staff',
        body: {
          email: 'staff@text.example',
          password: 'staff password 1',
          name: `St${bad}aff`,
          roles: ['inventory_manager'],
        },
      }),
    },
    // catalog, storefront
    ...(
      [
        ['q', (bad: string) => `q=lamp${e(bad)}`],
        ['category', (bad: string) => `category=home${e(bad)}`],
        ['cursor', (bad: string) => `cursor=abc${e(bad)}`],
        ['locale', (bad: string) => `locale=en${e(bad)}`],
        ['attr.color', (bad: string) => `attr.color=red${e(bad)}`],
      ] as const
    ).map(([field, query]) => ({
      route: 'GET /api/v1/products',
      in: 'url' as const,
      path: `query.${field}`,
      who: 'anyone' as const,
      request: (bad: string) => ({ method: 'GET' as const, url: `/api/v1/products?${query(bad)}` }),
    })),
    {
      route: 'GET /api/v1/products/:idOrSlug',
      in: 'url',
      path: 'params.idOrSlug',
      who: 'anyone',
      request: (bad) => ({ method: 'GET', url: `/api/v1/products/desk${e(bad)}lamp` }),
    },
    {
      route: 'GET /api/v1/categories',
      in: 'url',
      path: 'query.locale',
      who: 'anyone',
      request: (bad) => ({ method: 'GET', url: `/api/v1/categories?locale=de${e(bad)}` }),
    },
    // catalog, staff: localized text, free-form attributes and options (jsonb)
    ...(
      [
        ['slug', (bad: string) => ({ slug: `new${bad}` })],
        ['name', (bad: string) => ({ name: `Lamp${bad}` })],
        ['name.en', (bad: string) => ({ name: { en: `Lamp${bad}` } })],
        ['description', (bad: string) => ({ description: bad === '\n' ? '\u0001' : `A lamp${bad}` })],
        ['category', (bad: string) => ({ category: `home${bad}` })],
        ['attributes.colour', (bad: string) => ({ attributes: { colour: `red${bad}` } })],
        [`attributes.col{bad}our`, (bad: string) => ({ attributes: { [`col${bad}our`]: 'red' } })],
        ['taxClass', (bad: string) => ({ taxClass: `standard${bad}` })],
        [
          'variants.0.options.size',
          (bad: string) => ({ variants: [{ sku: 'NEW-1', options: { size: `M${bad}` } }] }),
        ],
        ['variants.0.sku', (bad: string) => ({ variants: [{ sku: `NEW${bad}1`, options: {} }] })],
      ] as const
    ).map(([path, fields]) => ({
      route: 'POST /api/v1/admin/products',
      in: 'body' as const,
      path,
      who: 'admin' as const,
      request: (bad: string) => ({
        method: 'POST' as const,
        url: '/api/v1/admin/products',
        body: {
          slug: 'new-lamp',
          name: 'Lamp',
          category: categorySlug,
          variants: [{ sku: 'NEW-1', options: {} }],
          ...fields(bad),
        },
      }),
    })),
    {
      route: 'PATCH /api/v1/admin/products/:id',
      in: 'body',
      path: 'attributes.colour',
      who: 'admin',
      request: (bad) => ({
        method: 'PATCH',
        url: `/api/v1/admin/products/${productId}`,
        body: { attributes: { colour: `red${bad}` } },
      }),
    },
    {
      route: 'PATCH /api/v1/admin/products/:id',
      in: 'body',
      path: 'description.en',
      who: 'admin',
      request: (bad) => ({
        method: 'PATCH',
        url: `/api/v1/admin/products/${productId}`,
        body: { description: { en: bad === '\n' ? '\u000b' : `x${bad}` } },
      }),
    },
    {
      route: 'POST /api/v1/admin/categories',
      in: 'body',
      path: 'name',
      who: 'admin',
      request: (bad) => ({
        method: 'POST',
        url: '/api/v1/admin/categories',
        body: { slug: 'new-category', name: `Things${bad}` },
      }),
    },
    {
      route: 'PATCH /api/v1/admin/categories/:slug',
      in: 'body',
      path: 'name.en',
      who: 'admin',
      request: (bad) => ({
        method: 'PATCH',
        url: `/api/v1/admin/categories/${categorySlug}`,
        body: { name: { en: `Things${bad}` } },
      }),
    },
    {
      route: 'PATCH /api/v1/admin/categories/:slug',
      in: 'url',
      path: 'params.slug',
      who: 'admin',
      request: (bad) => ({
        method: 'PATCH',
        url: `/api/v1/admin/categories/home${e(bad)}`,
        body: { name: 'Things' },
      }),
    },
    // pricing
    {
      route: 'PUT /api/v1/admin/prices/:sku',
      in: 'url',
      path: 'params.sku',
      who: 'admin',
      request: (bad) => ({ method: 'PUT', url: `/api/v1/admin/prices/SKU${e(bad)}1`, body: { amount: 100 } }),
    },
    {
      route: 'POST /api/v1/admin/promotions',
      in: 'body',
      path: 'code',
      who: 'admin',
      request: (bad) => ({
        method: 'POST',
        url: '/api/v1/admin/promotions',
        body: { code: `SAVE${bad}10`, type: 'percentage', value: 10 },
      }),
    },
    {
      route: 'GET /api/v1/admin/promotions',
      in: 'url',
      path: 'query.cursor',
      who: 'admin',
      request: (bad) => ({ method: 'GET', url: `/api/v1/admin/promotions?cursor=abc${e(bad)}` }),
    },
    {
      route: 'GET /api/v1/admin/promotions/:code',
      in: 'url',
      path: 'params.code',
      who: 'admin',
      request: (bad) => ({ method: 'GET', url: `/api/v1/admin/promotions/SAVE${e(bad)}10` }),
    },
    // inventory
    {
      route: 'POST /api/v1/admin/inventory/adjustments',
      in: 'body',
      path: 'reason',
      who: 'admin',
      request: (bad) => ({
        method: 'POST',
        url: '/api/v1/admin/inventory/adjustments',
        body: { sku, warehouseId, delta: 1, reason: `recount${bad}` },
      }),
    },
    {
      route: 'POST /api/v1/admin/inventory/adjustments',
      in: 'body',
      path: 'sku',
      who: 'admin',
      request: (bad) => ({
        method: 'POST',
        url: '/api/v1/admin/inventory/adjustments',
        body: { sku: `${sku}${bad}`, warehouseId, delta: 1, reason: 'recount' },
      }),
    },
    {
      route: 'GET /api/v1/admin/inventory/:sku',
      in: 'url',
      path: 'params.sku',
      who: 'admin',
      request: (bad) => ({ method: 'GET', url: `/api/v1/admin/inventory/SKU${e(bad)}` }),
    },
    {
      route: 'GET /api/v1/admin/inventory/:sku/movements',
      in: 'url',
      path: 'query.cursor',
      who: 'admin',
      request: (bad) => ({
        method: 'GET',
        url: `/api/v1/admin/inventory/${sku}/movements?cursor=abc${e(bad)}`,
      }),
    },
    // cart
    {
      route: 'POST /api/v1/carts/:id/items',
      in: 'body',
      path: 'sku',
      who: 'anyone',
      request: (bad) => ({
        method: 'POST',
        url: `/api/v1/carts/${cartId}/items`,
        body: { sku: `${sku}${bad}`, quantity: 1 },
      }),
    },
    {
      route: 'PATCH /api/v1/carts/:id/items/:sku',
      in: 'url',
      path: 'params.sku',
      who: 'anyone',
      request: (bad) => ({
        method: 'PATCH',
        url: `/api/v1/carts/${cartId}/items/${sku}${e(bad)}`,
        body: { quantity: 2 },
      }),
    },
    {
      route: 'DELETE /api/v1/carts/:id/items/:sku',
      in: 'url',
      path: 'params.sku',
      who: 'anyone',
      request: (bad) => ({ method: 'DELETE', url: `/api/v1/carts/${cartId}/items/${sku}${e(bad)}` }),
    },
    {
      route: 'POST /api/v1/carts/:id/promotion',
      in: 'body',
      path: 'code',
      who: 'anyone',
      request: (bad) => ({
        method: 'POST',
        url: `/api/v1/carts/${cartId}/promotion`,
        body: { code: `SAVE${bad}` },
      }),
    },
    ...(['name', 'line1', 'line2', 'city', 'postalCode', 'phone'] as const).map((field) => ({
      route: 'PUT /api/v1/carts/:id/shipping',
      in: 'body' as const,
      path: `address.${field}`,
      who: 'anyone' as const,
      request: (bad: string) => ({
        method: 'PUT' as const,
        url: `/api/v1/carts/${cartId}/shipping`,
        body: {
          address: { ...address(''), line2: null, phone: null, [field]: `12${bad}34` },
          option: 'standard',
        },
      }),
    })),
    {
      route: 'PUT /api/v1/carts/:id/shipping',
      in: 'body',
      path: 'option',
      who: 'anyone',
      request: (bad) => ({
        method: 'PUT',
        url: `/api/v1/carts/${cartId}/shipping`,
        body: { address: address(''), option: `standard${bad}` },
      }),
    },
    {
      route: 'PUT /api/v1/carts/:id/email',
      in: 'body',
      path: 'email',
      who: 'anyone',
      request: (bad) => ({
        method: 'PUT',
        url: `/api/v1/carts/${cartId}/email`,
        body: { email: `guest${bad}@text.example` },
      }),
    },
    // orders
    {
      route: 'GET /api/v1/orders',
      in: 'url',
      path: 'query.cursor',
      who: 'customer',
      request: (bad) => ({ method: 'GET', url: `/api/v1/orders?cursor=abc${e(bad)}` }),
    },
    {
      route: 'GET /api/v1/orders/:id',
      in: 'url',
      path: 'query.email',
      who: 'anyone',
      request: (bad) => ({
        method: 'GET',
        url: `/api/v1/orders/${crypto.randomUUID()}?email=${e(`guest${bad}@text.example`)}`,
      }),
    },
    ...(['cursor', 'from', 'to'] as const).map((field) => ({
      route: 'GET /api/v1/admin/orders',
      in: 'url' as const,
      path: `query.${field}`,
      who: 'admin' as const,
      request: (bad: string) => ({
        method: 'GET' as const,
        url: `/api/v1/admin/orders?${field}=${field === 'cursor' ? 'abc' : '2026-03-01T12:00:00Z'}${e(bad)}`,
      }),
    })),
    // checkout: the payment token, a cancellation's and a refund's reason
    {
      route: 'POST /api/v1/orders',
      in: 'body',
      path: 'payment.token',
      who: 'anyone',
      request: (bad) => ({
        method: 'POST',
        url: '/api/v1/orders',
        body: { cartId, payment: { token: `tok${bad}visa` } },
        headers: { 'idempotency-key': crypto.randomUUID() },
      }),
    },
    {
      route: 'POST /api/v1/orders/:id/cancel',
      in: 'body',
      path: 'reason',
      who: 'customer',
      request: (bad) => ({
        method: 'POST',
        url: `/api/v1/orders/${crypto.randomUUID()}/cancel`,
        body: { reason: `changed${bad}mind` },
      }),
    },
    {
      route: 'POST /api/v1/admin/orders/:id/refunds',
      in: 'body',
      path: 'reason',
      who: 'admin',
      request: (bad) => ({
        method: 'POST',
        url: `/api/v1/admin/orders/${crypto.randomUUID()}/refunds`,
        body: { reason: `scratched${bad}box` },
      }),
    },
    // a header that reaches the database (as a digest)
    {
      route: 'POST /api/v1/carts (Idempotency-Key)',
      in: 'header',
      path: 'headers.idempotency-key',
      who: 'anyone',
      request: (bad) => ({
        method: 'POST',
        url: '/api/v1/carts',
        body: {},
        headers: { 'idempotency-key': `key${bad}1` },
      }),
    },
  ];

  const bads = (where: Case['in']) =>
    Object.entries(where === 'body' ? { ...CONTROLS, ...SURROGATES } : CONTROLS) as [string, string][];

  it('answers 400 VALIDATION_FAILED naming the field, and writes nothing, for every string field of every route', async () => {
    const auth = { anyone: {}, customer, admin };
    const before = await fingerprint();
    const failures: string[] = [];
    let sent = 0;
    for (const c of cases()) {
      for (const [label, bad] of bads(c.in)) {
        const path = c.path.replace('{bad}', bad);
        const res = await send(c.request(bad), auth[c.who]);
        sent++;
        const errors = res.statusCode === 400 ? (res.json().errors ?? []) : [];
        const named = errors.some((x: { path: string }) => x.path === path);
        if (res.statusCode !== 400 || res.json().code !== 'VALIDATION_FAILED' || !named) {
          failures.push(
            `${c.route} ${JSON.stringify(path)} with ${label}: ${res.statusCode} ${res.body.slice(0, 300)}`,
          );
        }
      }
    }
    expect(failures).toEqual([]);
    expect(sent).toBeGreaterThan(250);
    expect(await fingerprint()).toBe(before);
  });

  it('names the character in the message', async () => {
    const res = await send({ method: 'PATCH', url: '/api/v1/me', body: { name: 'Ada\u0000' } }, customer);
    expectProblem(res, 400, 'VALIDATION_FAILED', ['name']);
    expect(res.json().errors[0].message).toContain('U+0000');
    const surrogate = await send(
      { method: 'PATCH', url: '/api/v1/me', body: { name: 'Ada\ud800' } },
      customer,
    );
    expect(surrogate.json().errors[0].message).toMatch(/unpaired UTF-16 surrogate/);
  });

  it('takes line breaks and tabs in multi-line text (a description), and emoji counted as one character each', async () => {
    const description = 'Line one\n\tindented\r\nline two';
    const res = await send(
      {
        method: 'PATCH',
        url: `/api/v1/admin/products/${productId}`,
        body: { description, attributes: { mood: '😀'.repeat(200) } },
      },
      admin,
    );
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().description.en).toBe(description);
    expect([...res.json().attributes.mood]).toHaveLength(200);
    // 200 code points is the maximum of a name: 200 emoji (400 UTF-16 units) fit, 201 do not
    const fits = await send(
      { method: 'PATCH', url: '/api/v1/me', body: { name: '👩🏽‍🚀'.repeat(50) } },
      customer,
    );
    expect(fits.statusCode, fits.body).toBe(200); // 4 code points each
    expect(fits.json().name).toBe('👩🏽‍🚀'.repeat(50));
    expectProblem(
      await send({ method: 'PATCH', url: '/api/v1/me', body: { name: `${'😀'.repeat(200)}!` } }, customer),
      400,
      'VALIDATION_FAILED',
      ['name'],
    );
    const reason = await send(
      {
        method: 'POST',
        url: '/api/v1/admin/inventory/adjustments',
        body: { sku, warehouseId, delta: 1, reason: '📦'.repeat(200) },
      },
      admin,
    );
    expect(reason.statusCode, reason.body).toBe(201);
  });

  it('refuses bytes that are not UTF-8 — in a JSON body, in a query string on any route — with 400, writing nothing', async () => {
    const before = await fingerprint();
    const raw = (prefix: string, bytes: number[], suffix: string) =>
      Buffer.concat([Buffer.from(prefix), Buffer.from(bytes), Buffer.from(suffix)]);
    // bytes a string read would have turned into U+FFFD, and stored
    for (const bytes of [[0xff], [0xc3, 0x28], [0xed, 0xa0, 0x80], [0xc0, 0xaf], [0x80]]) {
      for (const [method, url, payload, auth] of [
        ['PATCH', '/api/v1/me', raw('{"name":"Ada', bytes, '"}'), customer],
        [
          'POST',
          '/api/v1/auth/register',
          raw('{"email":"x@text.example","password":"a long password","name":"X', bytes, '"}'),
          {},
        ],
      ] as const) {
        const res = await t.app.inject({
          method,
          url,
          payload,
          headers: { ...auth, 'content-type': 'application/json' },
        });
        const body = expectProblem(res, 400, 'VALIDATION_FAILED', ['(body)']);
        expect(body.detail, `${method} ${url} ${bytes}`).toMatch(/not UTF-8/);
      }
    }
    // malformed %-escapes, encoded lone surrogates and other bytes that are not UTF-8, in any parameter
    const refused: [string, string][] = [
      ['/api/v1/products?q=%ZZ', 'query.q'],
      ['/api/v1/products?q=%ED%A0%80', 'query.q'],
      ['/api/v1/products?q=caf%C3', 'query.q'],
      ['/api/v1/products?limit=5&q=%', 'query.q'],
      ['/api/v1/products?%FF=1', 'query.%FF'],
      [`/api/v1/products/${productId}?locale=%ED%BF%BF`, 'query.locale'],
      ['/api/v1/admin/orders?from=%ED%A0%80', 'query.from'],
      ['/api/v1/admin/warehouses?ignored=%ZZ', 'query.ignored'], // a route that reads no query
      ['/healthz?x=%C0%AF', 'query.x'],
    ];
    for (const [url, path] of refused) {
      const res = await t.app.inject({ method: 'GET', url, headers: admin });
      expectProblem(res, 400, 'VALIDATION_FAILED', [path]);
      expect(res.headers['x-request-id'], url).toBeTruthy();
    }
    expect(await fingerprint()).toBe(before);
    // the same text well encoded is read as sent
    const cafe = await t.app.inject({ method: 'GET', url: '/api/v1/products?q=caf%C3%A9+cr%C3%A8me' });
    expect(cafe.statusCode, cafe.body).toBe(200);
    const nameRes = await t.app.inject({
      method: 'PATCH',
      url: '/api/v1/me',
      payload: Buffer.from('{"name":"Zoë 😀"}'),
      headers: { ...customer, 'content-type': 'application/json' },
    });
    expect(nameRes.json().name).toBe('Zoë 😀');
  });

  it('documents every string a request can carry with a pattern, format or enum', async () => {
    const doc = (await t.app.inject({ method: 'GET', url: '/docs/openapi.json' })).json();
    const resolve = (s: Record<string, unknown>): Record<string, unknown> =>
      typeof s.$ref === 'string' ? resolve(doc.components.schemas[s.$ref.split('/').pop()!]) : s;
    const unconstrained: string[] = [];
    const walk = (schema: unknown, where: string): void => {
      if (!schema || typeof schema !== 'object') return;
      const s = resolve(schema as Record<string, unknown>);
      if (
        s.type === 'string' &&
        s.pattern === undefined &&
        s.format === undefined &&
        s.enum === undefined &&
        s.const === undefined
      ) {
        unconstrained.push(where);
      }
      for (const [key, sub] of Object.entries(s)) {
        if (key === 'properties')
          for (const [name, p] of Object.entries(sub as object)) walk(p, `${where}.${name}`);
        else if (['items', 'additionalProperties', 'propertyNames'].includes(key))
          walk(sub, `${where}[${key}]`);
        else if (['anyOf', 'oneOf', 'allOf'].includes(key)) for (const p of sub as unknown[]) walk(p, where);
      }
    };
    let strings = 0;
    for (const [path, ops] of Object.entries(
      doc.paths as Record<string, Record<string, Record<string, unknown>>>,
    )) {
      for (const [method, op] of Object.entries(ops)) {
        for (const p of (op.parameters ?? []) as { name: string; in: string; schema: unknown }[]) {
          if ((p.schema as { type?: string }).type === 'string') strings++;
          walk(p.schema, `${method.toUpperCase()} ${path} ${p.in}.${p.name}`);
        }
        const body = (op.requestBody as { content?: Record<string, { schema: unknown }> } | undefined)
          ?.content;
        for (const media of Object.values(body ?? {}))
          walk(media.schema, `${method.toUpperCase()} ${path} body`);
      }
    }
    expect(strings).toBeGreaterThan(10);
    expect(unconstrained).toEqual([]);
  });
});
