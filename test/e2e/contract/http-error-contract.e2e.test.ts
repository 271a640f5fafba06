import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../../support/app.js';
import { bearer, json } from '../../support/http.js';
import { missing } from '../../support/skip.js';

let seq = 0;
const uniqueEmail = () => `contract${Date.now()}${seq++}@example.com`;

const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const ADMIN = { email: 'root@contract.example', password: 'admin-password-1' };

/** Asserts an RFC 9457 problem response with the shape docs/product/api.md fixes, and returns its body. */
const expectProblem = (res: LightMyRequestResponse, status: number, code: string) => {
  expect(res.statusCode, res.body).toBe(status);
  expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
  const body = res.json();
  expect(body).toMatchObject({ status, code });
  expect(body.type).toEqual(expect.any(String));
  expect(body.type.length).toBeGreaterThan(0);
  expect(body.title).toEqual(expect.any(String));
  expect(body.title.length).toBeGreaterThan(0);
  expect(body.detail).toEqual(expect.any(String));
  expect(body.requestId).toBe(res.headers['x-request-id']);
  expectNoInternals(res);
  return body;
};

/** No stack frames, SQL or file paths in a response body. */
const expectNoInternals = (res: LightMyRequestResponse) => {
  expect(res.body).not.toMatch(/\bat .+\(.*:\d+:\d+\)/); // stack frame "at fn (file:1:2)"
  expect(res.body).not.toMatch(/\n\s+at /);
  expect(res.body).not.toMatch(/\bSELECT\b|\bINSERT\b|\bUPDATE\s+\w+\s+SET\b|\bFROM\s+"?identity_/i);
  expect(res.body).not.toContain('node_modules');
  expect(res.body).not.toContain('/src/');
  expect(res.body).not.toMatch(/QueryFailedError|relation ".*" does not exist/);
  expect(res.body).not.toMatch(/"stack"/);
};

describe.skipIf(missing('postgres'))('HTTP error and operations contract', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({
      BODY_LIMIT_BYTES: '2048',
      ADMIN_EMAIL: ADMIN.email,
      ADMIN_PASSWORD: ADMIN.password,
    });
  });
  afterAll(async () => t?.close());

  const register = async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/register',
      ...json({ email: uniqueEmail(), password: 'correct horse battery', name: 'Grace Hopper' }),
    });
    expect(res.statusCode, res.body).toBe(201);
    return res;
  };

  describe('problem responses', () => {
    it('answers an unknown route with a 404 problem NOT_FOUND', async () => {
      for (const [method, url] of [
        ['GET', '/api/v1/nope'],
        ['POST', '/api/v1/auth/unknown'],
        ['DELETE', '/healthz'],
        ['GET', '/api/v1/nope?x=1'],
      ] as const) {
        const res = await t.app.inject({ method, url });
        const body = expectProblem(res, 404, 'NOT_FOUND');
        expect(body.errors).toBeUndefined();
      }
    });

    it('answers a malformed URL (bad percent-encoding) with a 400 problem carrying the request id', async () => {
      for (const url of ['/api/v1/me/addresses/%E0%A4%A', '/%']) {
        const res = await t.app.inject({ method: 'GET', url, headers: { 'x-request-id': 'bad-url-1' } });
        expect(res.headers['x-request-id']).toBe('bad-url-1');
        expectProblem(res, 400, 'VALIDATION_FAILED');
        expect(res.headers['x-content-type-options']).toBe('nosniff');
      }
    });

    it('answers a malformed JSON body with 400 VALIDATION_FAILED', async () => {
      for (const payload of ['{"email": "a@b.co", ', '{not json}', 'null,', '[1,2', '']) {
        const res = await t.app.inject({
          method: 'POST',
          url: '/api/v1/auth/login',
          headers: { 'content-type': 'application/json' },
          payload,
        });
        expectProblem(res, 400, 'VALIDATION_FAILED');
        // the parser's own message (with positions and snippets of the input) stays inside
        expect(res.body).not.toContain('Unexpected token');
      }
    });

    it('answers a body over BODY_LIMIT_BYTES with 413', async () => {
      const res = await t.app.inject({
        method: 'POST',
        url: '/api/v1/auth/register',
        ...json({ email: uniqueEmail(), password: 'x'.repeat(3000), name: 'Big' }),
      });
      const body = expectProblem(res, 413, 'PAYLOAD_TOO_LARGE');
      expect(body.errors).toBeUndefined();
      // and a body just under the limit gets past the size check (to validation: password too long)
      const small = await t.app.inject({
        method: 'POST',
        url: '/api/v1/auth/register',
        ...json({ email: uniqueEmail(), password: 'x'.repeat(1500), name: 'Big' }),
      });
      expectProblem(small, 400, 'VALIDATION_FAILED');
    });

    it('answers a non-JSON content type on a JSON route with a 415 problem', async () => {
      for (const contentType of [
        'application/x-www-form-urlencoded',
        'application/xml',
        'multipart/form-data',
      ]) {
        const res = await t.app.inject({
          method: 'POST',
          url: '/api/v1/auth/login',
          headers: { 'content-type': contentType },
          payload: 'email=a@b.co&password=whatever-123',
        });
        expectProblem(res, 415, 'UNSUPPORTED_MEDIA_TYPE');
      }
    });

    it('answers a text/plain body on a JSON route with a 415 problem too', async () => {
      // text/plain is a CORS "simple" content type; a JSON API must not take it as a body
      const res = await t.app.inject({
        method: 'POST',
        url: '/api/v1/auth/login',
        headers: { 'content-type': 'text/plain' },
        payload: JSON.stringify({ email: 'a@b.co', password: 'whatever-123' }),
      });
      expectProblem(res, 415, 'UNSUPPORTED_MEDIA_TYPE');
    });

    it('lists every offending field with path and message, nested paths dotted', async () => {
      const admin = await t.app.inject({ method: 'POST', url: '/api/v1/auth/login', ...json(ADMIN) });
      expect(admin.statusCode, admin.body).toBe(200);
      const res = await t.app.inject({
        method: 'POST',
        url: '/api/v1/admin/staff',
        ...json(
          { email: 'nope', password: 'short', name: '', roles: ['admin', 'emperor'] },
          bearer(admin.json().accessToken),
        ),
      });
      const body = expectProblem(res, 400, 'VALIDATION_FAILED');
      expect(Array.isArray(body.errors)).toBe(true);
      for (const e of body.errors) {
        expect(e).toEqual({ path: expect.any(String), message: expect.any(String) });
        expect(e.message.length).toBeGreaterThan(0);
      }
      const paths = body.errors.map((e: { path: string }) => e.path);
      expect(paths).toEqual(expect.arrayContaining(['email', 'password', 'name', 'roles.1']));
      expect(paths).not.toContain('roles.0');
    });

    it('names an offending route parameter by its location', async () => {
      const { accessToken } = (await register()).json();
      const res = await t.app.inject({
        method: 'PATCH',
        url: '/api/v1/me/addresses/not-a-uuid',
        ...json({ city: 'Cork' }, bearer(accessToken)),
      });
      const body = expectProblem(res, 400, 'VALIDATION_FAILED');
      expect(body.errors).toEqual([
        { path: expect.stringMatching(/(^|\.)id$/), message: expect.any(String) },
      ]);
    });

    it('answers 401 UNAUTHENTICATED as a problem', async () => {
      const res = await t.app.inject({ method: 'GET', url: '/api/v1/me' });
      expectProblem(res, 401, 'UNAUTHENTICATED');
    });
  });

  describe('request ids', () => {
    it('puts an x-request-id on every response, success or error', async () => {
      const { accessToken } = (await register()).json();
      const responses = await Promise.all([
        t.app.inject({ method: 'GET', url: '/healthz' }),
        t.app.inject({ method: 'GET', url: '/readyz' }),
        t.app.inject({ method: 'GET', url: '/metrics' }),
        t.app.inject({ method: 'GET', url: '/api/v1/region' }),
        t.app.inject({ method: 'GET', url: '/api/v1/me', headers: bearer(accessToken) }),
        t.app.inject({ method: 'GET', url: '/api/v1/nope' }),
        t.app.inject({ method: 'GET', url: '/api/v1/me' }),
        t.app.inject({
          method: 'POST',
          url: '/api/v1/auth/login',
          headers: { 'content-type': 'application/json' },
          payload: '{',
        }),
        t.app.inject({
          method: 'POST',
          url: '/api/v1/auth/login',
          headers: { 'content-type': 'application/xml' },
          payload: '<x/>',
        }),
        t.app.inject({
          method: 'POST',
          url: '/api/v1/auth/login',
          ...json({ email: 'a@b.co', password: 'p'.repeat(3000) }),
        }),
      ]);
      const statuses = responses.map((r) => r.statusCode);
      expect(statuses).toEqual([200, 200, 200, 200, 200, 404, 401, 400, 415, 413]);
      const ids = responses.map((r) => r.headers['x-request-id']);
      for (const id of ids) expect(id).toMatch(UUID_RE);
      expect(new Set(ids).size).toBe(ids.length);
      const logout = await t.app.inject({
        method: 'POST',
        url: '/api/v1/auth/logout',
        headers: bearer(accessToken),
      });
      expect(logout.statusCode).toBe(204);
      expect(logout.headers['x-request-id']).toMatch(UUID_RE);
    });

    it('echoes a well-formed incoming x-request-id, on success and in problem bodies', async () => {
      for (const id of [
        'req-123',
        'abc.DEF_ghi:42',
        '0194f3a0-0000-7000-8000-000000000001',
        'x'.repeat(128),
      ]) {
        const ok = await t.app.inject({ method: 'GET', url: '/healthz', headers: { 'x-request-id': id } });
        expect(ok.headers['x-request-id']).toBe(id);
        const notFound = await t.app.inject({
          method: 'GET',
          url: '/api/v1/nope',
          headers: { 'x-request-id': id },
        });
        expect(notFound.headers['x-request-id']).toBe(id);
        expect(notFound.json().requestId).toBe(id);
      }
    });

    it('replaces a malformed incoming x-request-id with a fresh UUID', async () => {
      for (const bad of ['has spaces in it', 'x'.repeat(300), 'semi;colon', '<script>', 'new\\nline']) {
        const res = await t.app.inject({
          method: 'GET',
          url: '/api/v1/nope',
          headers: { 'x-request-id': bad },
        });
        const id = res.headers['x-request-id'];
        expect(id).not.toBe(bad);
        expect(id).toMatch(UUID_RE);
        expect(res.json().requestId).toBe(id);
        expect(res.body).not.toContain(bad);
      }
    });
  });

  describe('operations', () => {
    it('/healthz answers 200 {status:"ok"}', async () => {
      const res = await t.app.inject({ method: 'GET', url: '/healthz' });
      expect(res.statusCode).toBe(200);
      expect(res.json()).toEqual({ status: 'ok' });
    });

    it('/readyz reports the database up and cache and broker disabled without Redis or Kafka', async () => {
      const res = await t.app.inject({ method: 'GET', url: '/readyz' });
      expect(res.statusCode).toBe(200);
      expect(res.json()).toEqual({
        status: 'ok',
        checks: { database: 'up', cache: 'disabled', broker: 'disabled', consumers: 'disabled' },
      });
    });

    it('/metrics serves Prometheus text with the HTTP request counter', async () => {
      await t.app.inject({ method: 'GET', url: '/api/v1/region' });
      await t.app.inject({ method: 'GET', url: '/api/v1/definitely-missing' });
      const res = await t.app.inject({ method: 'GET', url: '/metrics' });
      expect(res.statusCode).toBe(200);
      expect(res.headers['content-type']).toMatch(/^text\/plain/);
      expect(res.body).toContain('# TYPE http_requests_total counter');
      expect(res.body).toMatch(
        /http_requests_total\{[^}]*route="\/api\/v1\/region"[^}]*status="200"[^}]*\} \d+/,
      );
      expect(res.body).toMatch(/http_requests_total\{[^}]*status="404"[^}]*\} \d+/);
      expect(res.body).toContain('http_request_duration_seconds_bucket');
      // unknown paths must not become label values (unbounded cardinality)
      expect(res.body).not.toContain('definitely-missing');
    });

    it('/docs/openapi.json is an OpenAPI 3.1 document with the identity paths', async () => {
      const res = await t.app.inject({ method: 'GET', url: '/docs/openapi.json' });
      expect(res.statusCode).toBe(200);
      const doc = res.json();
      expect(String(doc.openapi)).toMatch(/^3\.1/);
      expect(doc.info.title).toEqual(expect.any(String));
      const paths = Object.keys(doc.paths);
      expect(paths).toEqual(
        expect.arrayContaining([
          '/api/v1/auth/register',
          '/api/v1/auth/login',
          '/api/v1/auth/refresh',
          '/api/v1/auth/logout',
          '/api/v1/me',
          '/api/v1/me/addresses',
          '/api/v1/me/addresses/{id}',
          '/api/v1/me/export',
          '/api/v1/admin/staff',
          '/.well-known/jwks.json',
          '/healthz',
          '/readyz',
          '/api/v1/region',
        ]),
      );
      // generated from the zod schemas: the register body names its fields
      const register = doc.paths['/api/v1/auth/register'].post;
      const bodySchema = JSON.stringify(register.requestBody);
      for (const field of ['email', 'password', 'name']) expect(bodySchema).toContain(`"${field}"`);
      expect(Object.keys(register.responses)).toEqual(expect.arrayContaining(['201', '400', '409']));
    });

    it('/docs serves the interactive reference as HTML', async () => {
      let url = '/docs';
      let res = await t.app.inject({ method: 'GET', url });
      for (let hops = 0; hops < 5 && res.statusCode >= 300 && res.statusCode < 400; hops++) {
        url = new URL(String(res.headers.location), `http://localhost${url}`).pathname;
        res = await t.app.inject({ method: 'GET', url });
      }
      expect(res.statusCode).toBe(200);
      expect(res.headers['content-type']).toMatch(/^text\/html/);
      expect(res.body).toMatch(/<html/i);
    });

    it('sends security headers on successes and problems alike', async () => {
      for (const url of ['/healthz', '/api/v1/region', '/api/v1/nope']) {
        const res = await t.app.inject({ method: 'GET', url });
        expect(res.headers['x-content-type-options']).toBe('nosniff');
        expect(res.headers['x-frame-options']).toBeDefined();
        expect(res.headers['strict-transport-security']).toMatch(/max-age=\d+/);
        expect(res.headers['x-powered-by']).toBeUndefined();
      }
    });
  });
});

describe.skipIf(missing('postgres'))('HTTP contract: rate limiting', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ RATE_LIMIT_PER_MINUTE: '3' });
  });
  afterAll(async () => t?.close());

  it('answers the 4th request of a minute with 429 RATE_LIMITED and Retry-After', async () => {
    for (let i = 0; i < 3; i++) {
      const ok = await t.app.inject({ method: 'GET', url: '/api/v1/region' });
      expect(ok.statusCode).toBe(200);
    }
    const limited = await t.app.inject({ method: 'GET', url: '/api/v1/region' });
    const body = expectProblem(limited, 429, 'RATE_LIMITED');
    expect(body.type).toEqual(expect.any(String));
    const retryAfter = Number(limited.headers['retry-after']);
    expect(Number.isInteger(retryAfter)).toBe(true);
    expect(retryAfter).toBeGreaterThan(0);
    expect(retryAfter).toBeLessThanOrEqual(60);
    expect(limited.headers['x-request-id']).toMatch(UUID_RE);
    // probes stay reachable for the orchestrator while the client is limited
    expect((await t.app.inject({ method: 'GET', url: '/healthz' })).statusCode).toBe(200);
    expect((await t.app.inject({ method: 'GET', url: '/readyz' })).statusCode).toBe(200);
  });
});

describe.skipIf(missing('postgres'))('HTTP contract: internal errors', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(async () => t?.close());

  it('answers an unexpected database error with a 500 problem that hides SQL and stack', async () => {
    // break this app's private database under it: the users table disappears
    await t.runtime.platform.dataSource.query('ALTER TABLE identity_users RENAME TO identity_users_gone');
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/register',
      ...json({ email: uniqueEmail(), password: 'correct horse battery', name: 'Broken' }),
    });
    expect(res.statusCode).toBe(500);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    const body = res.json();
    expect(body).toMatchObject({
      status: res.statusCode,
      type: expect.any(String),
      title: expect.any(String),
    });
    expect(body.code).toEqual(expect.any(String));
    expect(body.requestId).toBe(res.headers['x-request-id']);
    expect(res.body).not.toContain('identity_users');
    expectNoInternals(res);

    const login = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      ...json({ email: uniqueEmail(), password: 'correct horse battery' }),
    });
    expect(login.statusCode).toBeGreaterThanOrEqual(500);
    expect(login.body).not.toContain('identity_users');
    expectNoInternals(login);
  });
});
