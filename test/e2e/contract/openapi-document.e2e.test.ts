import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SKU_PATTERN } from '../../../src/cart/domain/cart.aggregate.js';
import { SLUG_PATTERN } from '../../../src/catalog/domain/slug.value-object.js';
import { ORDER_STATUSES } from '../../../src/orders/contract.js';
import { MAX_PAYMENT_AMOUNT } from '../../../src/payments/contract.js';
import { INSTANT_PATTERN } from '../../../src/platform/http/input.js';
import { PROMOTION_CODE_PATTERN } from '../../../src/pricing/domain/promotion.aggregate.js';
import { startTestApp, type TestApp } from '../../support/app.js';
import { expectProblem, loginAs } from '../../support/http.js';
import { missing } from '../../support/skip.js';

const ADMIN = { email: 'openapi-admin@shop.example', password: 'admin-password-1' };

type Schema = Record<string, unknown> & {
  properties?: Record<string, Schema>;
  items?: Schema;
  $ref?: string;
};
interface Parameter {
  name: string;
  in: string;
  required?: boolean;
  schema: Schema;
}
interface Operation {
  parameters?: Parameter[];
  requestBody?: { required?: boolean; content: Record<string, { schema: Schema }> };
  responses: Record<
    string,
    { content?: Record<string, { schema: Schema }>; headers?: Record<string, unknown> }
  >;
  security?: unknown[];
}

/** The document tells the whole truth: statuses, media types, headers, patterns and lengths. */
describe.skipIf(missing('postgres'))('the OpenAPI document', () => {
  let t: TestApp;
  let doc: {
    paths: Record<string, Record<string, Operation>>;
    components: { schemas: Record<string, Schema> };
  };
  const op = (method: string, path: string): Operation => {
    const found = doc.paths[path]?.[method];
    if (!found) throw new Error(`no ${method} ${path} in the document`);
    return found;
  };
  const operations = () =>
    Object.entries(doc.paths).flatMap(([path, ops]) =>
      Object.entries(ops).map(([method, o]) => ({ id: `${method.toUpperCase()} ${path}`, method, path, o })),
    );
  const statuses = (method: string, path: string) => Object.keys(op(method, path).responses).sort();
  const bodyProperty = (method: string, path: string, name: string): Schema => {
    let schema = op(method, path).requestBody!.content['application/json']!.schema;
    for (const part of name.split('.')) {
      if (schema.$ref) schema = doc.components.schemas[schema.$ref.split('/').pop()!]!;
      schema = part === '[]' ? schema.items! : schema.properties![part]!;
    }
    return schema;
  };
  const parameter = (method: string, path: string, name: string) =>
    op(method, path).parameters?.find((p) => p.name === name);

  beforeAll(async () => {
    t = await startTestApp({ ADMIN_EMAIL: ADMIN.email, ADMIN_PASSWORD: ADMIN.password });
    doc = (await t.app.inject({ method: 'GET', url: '/docs/openapi.json' })).json();
  });
  afterAll(async () => t?.close());

  it('declares every error as application/problem+json with the Problem schema', () => {
    let errors = 0;
    for (const { id, o } of operations()) {
      for (const [status, response] of Object.entries(o.responses)) {
        if (Number(status) < 400) continue;
        errors++;
        expect(response.content?.['application/problem+json']?.schema, `${id} ${status}`).toEqual({
          $ref: '#/components/schemas/Problem',
        });
        // application/json only where the app really answers it: readyz's body (shutting down is a problem too)
        const others = Object.keys(response.content ?? {}).filter((m) => m !== 'application/problem+json');
        expect(others, `${id} ${status}`).toEqual(
          id === 'GET /readyz' && status === '503' ? ['application/json'] : [],
        );
      }
    }
    expect(errors).toBeGreaterThan(300);
  });

  it('declares the statuses the platform answers, derived from the shape of each route', () => {
    // a body, a token, a path parameter, Idempotency-Key
    expect(statuses('post', '/api/v1/carts/{id}/items')).toEqual(
      ['200', '400', '401', '404', '409', '413', '415', '422', '429', '500', '503'].sort(),
    );
    // a role-guarded read without input (400: a query string that is not UTF-8, on any route)
    expect(statuses('get', '/api/v1/admin/warehouses')).toEqual([
      '200',
      '400',
      '401',
      '403',
      '429',
      '500',
      '503',
    ]);
    // role-guarded writes
    for (const [method, path] of [
      ['post', '/api/v1/admin/products'],
      ['patch', '/api/v1/admin/products/{id}'],
      ['put', '/api/v1/admin/prices/{sku}'],
    ] as const) {
      expect(statuses(method, path), `${method} ${path}`).toEqual(
        expect.arrayContaining(['400', '401', '403', '413', '415']),
      );
    }
    // 422 only where Idempotency-Key is honoured (POST)
    expect(statuses('patch', '/api/v1/me')).not.toContain('422');
    expect(statuses('post', '/api/v1/auth/register')).toContain('422');
    // probes: neither rate limited nor authenticated
    expect(statuses('get', '/healthz')).toEqual(['200', '400', '500', '503']);
    // catalog reads: 304 for a current If-None-Match, no 401 (no token read)
    for (const path of ['/api/v1/products', '/api/v1/products/{idOrSlug}', '/api/v1/categories']) {
      expect(statuses('get', path)).toEqual(expect.arrayContaining(['200', '304', '400', '429', '503']));
      expect(statuses('get', path)).not.toContain('401');
    }
    // orders: a customer read, a read with an optional token and a path parameter, admin reads
    expect(statuses('get', '/api/v1/orders')).toEqual(['200', '400', '401', '429', '500', '503']);
    expect(statuses('get', '/api/v1/orders/{id}')).toEqual(['200', '400', '401', '404', '429', '500', '503']);
    expect(statuses('get', '/api/v1/admin/orders')).toEqual([
      '200',
      '400',
      '401',
      '403',
      '429',
      '500',
      '503',
    ]);
    expect(statuses('get', '/api/v1/admin/orders/{id}')).toEqual(
      ['200', '400', '401', '403', '404', '429', '500', '503'].sort(),
    );
    // every operation: 400 (a query string that is not UTF-8), 500 and 503; 429 wherever rate limited
    for (const { id, path, o } of operations()) {
      expect(Object.keys(o.responses), id).toEqual(expect.arrayContaining(['400', '500', '503']));
      if (!['/healthz', '/readyz', '/metrics'].includes(path))
        expect(Object.keys(o.responses), id).toContain('429');
    }
  });

  it('declares Idempotency-Key on every POST (required on POST /api/v1/orders), 1–255 printable ASCII, and on nothing else', () => {
    for (const { id, method, o } of operations()) {
      const header = o.parameters?.find(
        (p) => p.in === 'header' && p.name.toLowerCase() === 'idempotency-key',
      );
      if (method !== 'post') {
        expect(header, id).toBeUndefined();
        continue;
      }
      expect(header, id).toMatchObject({
        required: id === 'POST /api/v1/orders',
        schema: { type: 'string', minLength: 1, maxLength: 255, pattern: '^[\\x20-\\x7e]{1,255}$' },
      });
    }
  });

  it('declares x-request-id on every response and Retry-After on 429', () => {
    for (const { id, o } of operations()) {
      for (const [status, response] of Object.entries(o.responses)) {
        expect(response.headers?.['x-request-id'], `${id} ${status}`).toEqual({
          $ref: '#/components/headers/RequestId',
        });
        if (status === '429')
          expect(response.headers?.['retry-after'], id).toEqual({ $ref: '#/components/headers/RetryAfter' });
      }
    }
  });

  it('states the patterns the server enforces: SKUs, slugs, promotion codes, countries, cursors', () => {
    const sku = SKU_PATTERN.source;
    expect(bodyProperty('post', '/api/v1/carts/{id}/items', 'sku').pattern).toBe(sku);
    expect(parameter('patch', '/api/v1/carts/{id}/items/{sku}', 'sku')?.schema.pattern).toBe(sku);
    expect(bodyProperty('post', '/api/v1/admin/inventory/adjustments', 'sku').pattern).toBe(sku);
    expect(parameter('get', '/api/v1/admin/inventory/{sku}', 'sku')?.schema.pattern).toBe(sku);
    expect(parameter('put', '/api/v1/admin/prices/{sku}', 'sku')?.schema.pattern).toBe(sku);
    expect(bodyProperty('post', '/api/v1/admin/products', 'variants.[].sku').pattern).toBe(sku);
    expect(bodyProperty('post', '/api/v1/admin/products', 'slug')).toMatchObject({
      pattern: SLUG_PATTERN.source,
      maxLength: 100,
    });
    expect(parameter('get', '/api/v1/products', 'category')?.schema.pattern).toBe(SLUG_PATTERN.source);
    expect(bodyProperty('post', '/api/v1/admin/promotions', 'code').pattern).toBe(
      PROMOTION_CODE_PATTERN.source,
    );
    expect(bodyProperty('post', '/api/v1/me/addresses', 'country').pattern).toBe('^[A-Za-z]{2}$');
    expect(parameter('get', '/api/v1/products', 'cursor')?.schema.pattern).toBe('^[A-Za-z0-9_-]+$');
    expect(parameter('get', '/api/v1/orders', 'cursor')?.schema.pattern).toBe('^[A-Za-z0-9_-]+$');
    expect(parameter('get', '/api/v1/admin/orders', 'cursor')?.schema.pattern).toBe('^[A-Za-z0-9_-]+$');
    expect(parameter('get', '/api/v1/admin/orders', 'status')?.schema.enum).toEqual([...ORDER_STATUSES]);
    expect(parameter('get', '/api/v1/admin/orders', 'customerId')?.schema.format).toBe('uuid');
    for (const name of ['from', 'to']) {
      const pattern = String(parameter('get', '/api/v1/admin/orders', name)?.schema.pattern);
      expect(pattern, name).toBe(INSTANT_PATTERN.source);
      const instant = new RegExp(pattern, 'u');
      expect(instant.test('2026-03-01T12:00:00Z'), name).toBe(true);
      expect(instant.test('2026-03-01T12:00:00.123+01:00'), name).toBe(true);
      expect(instant.test('2026-03-01'), name).toBe(false);
      expect(instant.test('2026-03-01T12:00:00'), name).toBe(false);
      expect(instant.test('2026-02-30T00:00:00Z'), name).toBe(false);
    }
    expect(parameter('get', '/api/v1/orders/{id}', 'email')?.schema.format).toBe('email');
    expect(bodyProperty('post', '/api/v1/auth/register', 'email')).toMatchObject({
      format: 'email',
      pattern: expect.any(String),
    });
    // free text documents the control-character rule
    expect(bodyProperty('post', '/api/v1/auth/register', 'name')).toMatchObject({
      minLength: 1,
      maxLength: 200,
    });
    expect(
      new RegExp(String(bodyProperty('post', '/api/v1/auth/register', 'name').pattern), 'u').test(
        'Ada\u0000',
      ),
    ).toBe(false);
  });

  it('states the limits the server enforces: a refund is at most what a payment can hold', () => {
    expect(bodyProperty('post', '/api/v1/admin/orders/{id}/refunds', 'amount')).toMatchObject({
      type: 'integer',
      minimum: 1,
      maximum: MAX_PAYMENT_AMOUNT,
    });
  });

  it('states a calendar in every date-time a request can carry: no day or time that does not exist passes', () => {
    const resolve = (s: Schema): Schema =>
      typeof s.$ref === 'string' ? resolve(doc.components.schemas[s.$ref.split('/').pop()!]!) : s;
    const found: string[] = [];
    const walk = (schema: Schema | undefined, where: string): void => {
      if (!schema || typeof schema !== 'object') return;
      const s = resolve(schema);
      if (s.type === 'string' && typeof s.pattern === 'string') {
        const pattern = new RegExp(s.pattern, 'u');
        // a date-time pattern: takes an instant, not any text
        if (pattern.test('2026-03-01T12:00:00Z') && !pattern.test('not-a-date')) {
          found.push(where);
          for (const impossible of [
            '2026-02-30T12:00:00Z',
            '2026-02-29T12:00:00Z',
            '2100-02-29T12:00:00Z',
            '2026-04-31T12:00:00Z',
            '2026-03-01T24:00:00Z',
            '2026-03-01T12:00:60Z',
          ]) {
            expect(pattern.test(impossible), `${where}: ${impossible}`).toBe(false);
          }
          expect(pattern.test('2024-02-29T12:00:00Z'), `${where}: a leap day`).toBe(true);
        }
      }
      for (const [key, sub] of Object.entries(s)) {
        if (key === 'properties')
          for (const [name, p] of Object.entries(sub as Record<string, Schema>)) walk(p, `${where}.${name}`);
        else if (key === 'items' || key === 'additionalProperties') walk(sub as Schema, where);
        else if (['anyOf', 'oneOf', 'allOf'].includes(key)) for (const p of sub as Schema[]) walk(p, where);
      }
    };
    for (const { id, o } of operations()) {
      for (const p of o.parameters ?? []) walk(p.schema, `${id} ${p.in}.${p.name}`);
      for (const media of Object.values(o.requestBody?.content ?? {})) walk(media.schema, `${id} body`);
    }
    // admin order filters, promotion validity, the webhook's created
    expect(found.length, found.join('\n')).toBeGreaterThanOrEqual(5);
  });

  it('documents integer query parameters with their range, and a body that may be left out as optional', () => {
    for (const [path, name] of [
      ['/api/v1/products', 'limit'],
      ['/api/v1/admin/promotions', 'limit'],
      ['/api/v1/admin/inventory/{sku}/movements', 'limit'],
      ['/api/v1/orders', 'limit'],
      ['/api/v1/admin/orders', 'limit'],
    ] as const) {
      expect(parameter('get', path, name)?.schema).toEqual({
        type: 'integer',
        minimum: 1,
        maximum: 100,
        default: 20,
      });
    }
    expect(op('post', '/api/v1/carts').requestBody?.required).toBe(false);
    expect(op('post', '/api/v1/carts/{id}/items').requestBody?.required).toBe(true);
  });

  it('reads integers in query strings strictly: 0x10, 1e1, +5 and empty values are 400', async () => {
    const admin = await loginAs(t, ADMIN);
    for (const url of [
      '/api/v1/products',
      '/api/v1/admin/promotions',
      '/api/v1/admin/inventory/SKU-1/movements',
    ]) {
      expect(
        (await t.app.inject({ method: 'GET', url: `${url}?limit=16`, headers: admin })).statusCode,
        url,
      ).toBe(200);
      expect(
        (await t.app.inject({ method: 'GET', url: `${url}?limit=016`, headers: admin })).statusCode,
        url,
      ).toBe(200);
      for (const bad of ['0x10', '1e1', '%2B5', '', '16.0', '%2016']) {
        const res = await t.app.inject({ method: 'GET', url: `${url}?limit=${bad}`, headers: admin });
        expectProblem(res, 400, 'VALIDATION_FAILED', ['query.limit']);
      }
    }
    for (const bad of ['0x10', '', '-1', '1e3']) {
      expectProblem(
        await t.app.inject({ method: 'GET', url: `/api/v1/products?minPrice=${bad}` }),
        400,
        'VALIDATION_FAILED',
        ['query.minPrice'],
      );
    }
  });
});
