import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { NewOrder } from '../../../src/orders/contract.js';
import { signFakeWebhook } from '../../../src/payments/adapters/providers/fake-webhook.format.js';
import { MAX_PAYMENT_AMOUNT } from '../../../src/payments/contract.js';
import { DEV_FAKE_PSP_WEBHOOK_SECRET } from '../../../src/platform/config/config.js';
import { problemSchema } from '../../../src/platform/http/problem.js';
import { startTestApp, type TestApp } from '../../support/app.js';
import { newOrder, placeOrder } from '../../support/orders.js';
import { missing } from '../../support/skip.js';
import { pollUntil } from '../../support/wait.js';

/**
 * A third-party contract check over the flows a storefront and staff run: every request goes through
 * Stoplight Prism in proxy mode, which validates each response of the app against the OpenAPI
 * document it serves (status declared, body schema, declared headers) and reports what does not fit
 * in the `sl-violations` header. Prism is run without `--errors`: with it, Prism answers requests it
 * finds invalid itself instead of forwarding them, and the bad requests (400, 413, 415) must reach the
 * app. Prism takes `application/problem+json` for `application/json` (it matches on the +json
 * suffix), so the media type of each response is also checked here, strictly, against the document.
 *
 * Requests the document itself refuses (a pattern, a maximum) must be refused by Prism's request
 * validation too (`sl-violations` on the request): the document states what the server enforces.
 *
 * What Prism would rewrite before forwarding goes to the app directly and is checked here against
 * the document (status declared, media type, the Problem schema): Prism decodes and re-encodes query
 * strings (`?q=%ZZ` and `?q=%ED%A0%80` arrive as something else) and re-serialises JSON bodies (bytes
 * that are not UTF-8 arrive as U+FFFD).
 *
 * Not driven here: 500 and 503 (declared everywhere), and malformed JSON (Prism parses request
 * bodies itself and refuses to forward one it cannot parse; http-error-contract.e2e.test.ts covers it).
 */

const root = path.resolve(import.meta.dirname, '../../..');
const PRISM = path.join(root, 'node_modules/@stoplight/prism-cli/dist/index.js');
const ADMIN = { email: 'contract-admin@shop.example', password: 'admin-password-1' };
const BODY_LIMIT = 8192;
const AUTH_LIMIT = 30;

const prismMissing = (): string | null => {
  if (existsSync(PRISM)) return null;
  const reason = `prism: ${PRISM} is not installed (devDependency @stoplight/prism-cli; run npm ci)`;
  console.warn(`[skipped] ${reason}`);
  return reason;
};

interface Exchange {
  method: string;
  url: string;
  status: number;
  contentType: string | null;
  body: string;
  violations: { location: string[]; severity: string; message: string }[];
  /** sent to the app directly, not through Prism (see above) */
  direct?: boolean;
}

type Operation = { responses: Record<string, { content?: Record<string, unknown> }> };
type Document = { paths: Record<string, Record<string, Operation>> };

const startPrism = (spec: string, upstream: string): Promise<{ child: ChildProcess; url: string }> =>
  new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      [
        PRISM,
        'proxy',
        spec,
        upstream,
        '--host',
        '127.0.0.1',
        '--port',
        '0',
        '--cors=false',
        '--errors=false',
      ],
      { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let output = '';
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`prism did not start within 30 s:\n${output}`));
    }, 30_000);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const match = /Prism is listening on (http:\/\/[0-9.:]+)/.exec(output);
      if (match) {
        clearTimeout(timer);
        // keep draining its log lines, or Prism blocks on a full pipe
        resolve({ child, url: match[1]! });
      }
      if (output.length > 200_000) output = output.slice(-20_000);
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`prism exited with ${code}:\n${output}`));
    });
  });

/** `/api/v1/carts/{id}` → a regex for concrete paths, with the most literal templates first. */
const matcher = (doc: Document) => {
  const templates = Object.keys(doc.paths)
    .map((template) => ({
      template,
      re: new RegExp(`^${template.replace(/\{[^}]+\}/g, '[^/]+')}$`),
      literal: template.replace(/\{[^}]+\}/g, '').length,
    }))
    .sort((a, b) => b.literal - a.literal);
  return (url: string) => templates.find((t) => t.re.test(url.split('?')[0]!))?.template;
};

describe.skipIf(missing('postgres') || prismMissing())(
  'contract: Prism checks every response against the OpenAPI document',
  () => {
    let t: TestApp;
    let prism: { child: ChildProcess; url: string };
    let doc: Document;
    let dir: string;
    let upstream: string;
    const exchanges: Exchange[] = [];
    /** exchanges whose request the document itself refuses: Prism must report a request violation */
    const refusedByDocument: Exchange[] = [];

    beforeAll(async () => {
      t = await startTestApp({
        ADMIN_EMAIL: ADMIN.email,
        ADMIN_PASSWORD: ADMIN.password,
        BODY_LIMIT_BYTES: String(BODY_LIMIT),
        AUTH_RATE_LIMIT_PER_MINUTE: String(AUTH_LIMIT),
      });
      await t.app.listen({ port: 0, host: '127.0.0.1' });
      upstream = `http://127.0.0.1:${(t.app.server.address() as AddressInfo).port}`;
      doc = (await t.app.inject({ method: 'GET', url: '/docs/openapi.json' })).json();
      dir = await mkdtemp(path.join(tmpdir(), 'shopcore-contract-'));
      const spec = path.join(dir, 'openapi.json');
      await writeFile(spec, JSON.stringify(doc));
      prism = await startPrism(spec, upstream);
    }, 60_000);

    afterAll(async () => {
      prism?.child.kill('SIGTERM');
      await t?.close();
      if (dir) await rm(dir, { recursive: true, force: true });
    });

    /** One request through Prism; the exchange is kept for the checks at the end. */
    const call = async (
      method: string,
      url: string,
      opts: { body?: unknown; raw?: string; headers?: Record<string, string>; token?: string } = {},
    ) => {
      const headers: Record<string, string> = { ...opts.headers };
      if (opts.token) headers.authorization = `Bearer ${opts.token}`;
      let body: string | undefined = opts.raw;
      if (opts.body !== undefined) {
        body = JSON.stringify(opts.body);
        headers['content-type'] ??= 'application/json';
      }
      const res = await fetch(`${prism.url}${url}`, { method, headers, body });
      const text = await res.text();
      const raw = res.headers.get('sl-violations');
      let violations: Exchange['violations'] = [];
      if (raw) {
        try {
          violations = JSON.parse(raw);
        } catch {
          violations = [{ location: ['response'], severity: 'Error', message: raw }];
        }
      }
      exchanges.push({
        method,
        url,
        status: res.status,
        contentType: res.headers.get('content-type'),
        body: text,
        violations,
      });
      return {
        status: res.status,
        headers: res.headers,
        json: () => JSON.parse(text),
      };
    };
    /** One request straight to the app (what Prism would rewrite); kept for the checks at the end. */
    const direct = async (
      method: string,
      url: string,
      opts: { raw?: Buffer; token?: string; headers?: Record<string, string> } = {},
    ) => {
      const headers: Record<string, string> = { ...opts.headers };
      if (opts.token) headers.authorization = `Bearer ${opts.token}`;
      const res = await fetch(`${upstream}${url}`, { method, headers, body: opts.raw });
      const text = await res.text();
      exchanges.push({
        method,
        url,
        status: res.status,
        contentType: res.headers.get('content-type'),
        body: text,
        violations: [],
        direct: true,
      });
      return { status: res.status, headers: res.headers, json: () => JSON.parse(text) };
    };
    /** A request the document refuses as well as the app: 400, and Prism saw the request as invalid. */
    const expectRefusedByDocument = async (p: ReturnType<typeof call>) => {
      const res = await expectStatus(p, 400);
      refusedByDocument.push(exchanges.at(-1)!);
      return res;
    };
    const expectStatus = async (p: ReturnType<typeof call>, status: number) => {
      const res = await p;
      expect(
        res.status,
        `${exchanges.at(-1)?.method} ${exchanges.at(-1)?.url}: ${exchanges.at(-1)?.body}`,
      ).toBe(status);
      return res;
    };

    it('drives every operation and its main error statuses through the proxy', async () => {
      // operations
      await expectStatus(call('GET', '/healthz'), 200);
      await expectStatus(call('GET', '/readyz'), 200);
      await expectStatus(call('GET', '/metrics'), 200);
      await expectStatus(call('GET', '/api/v1/region'), 200);
      await expectStatus(call('GET', '/.well-known/jwks.json'), 200);
      await expectStatus(call('GET', '/api/v1/no-such-route'), 404);

      // identity
      const stamp = Date.now().toString(36);
      const email = `ada.${stamp}@contract.example`;
      const registered = await expectStatus(
        call('POST', '/api/v1/auth/register', {
          body: { email, password: 'correct horse battery', name: 'Ada' },
        }),
        201,
      );
      expect(registered.json().customer.email).toBe(email);
      await expectStatus(
        call('POST', '/api/v1/auth/register', {
          body: { email, password: 'correct horse battery', name: 'Ada' },
        }),
        409,
      );
      await expectStatus(
        call('POST', '/api/v1/auth/register', { body: { email: 'nope', password: 'short', name: '' } }),
        400,
      );
      await expectStatus(
        call('POST', '/api/v1/auth/register', { raw: 'email=a', headers: { 'content-type': 'text/plain' } }),
        415,
      );
      await expectStatus(
        call('POST', '/api/v1/auth/login', { body: { email, password: 'x'.repeat(BODY_LIMIT + 10) } }),
        413,
      );
      const login = await expectStatus(
        call('POST', '/api/v1/auth/login', { body: { email, password: 'correct horse battery' } }),
        200,
      );
      await expectStatus(
        call('POST', '/api/v1/auth/login', { body: { email, password: 'wrong password!' } }),
        401,
      );
      const refreshed = await expectStatus(
        call('POST', '/api/v1/auth/refresh', { body: { refreshToken: login.json().refreshToken } }),
        200,
      );
      const token = refreshed.json().accessToken as string;
      // a spent refresh token is 401 and revokes its family: shown on a session of its own
      const session = await expectStatus(
        call('POST', '/api/v1/auth/login', { body: { email, password: 'correct horse battery' } }),
        200,
      );
      const spent = { refreshToken: session.json().refreshToken };
      await expectStatus(call('POST', '/api/v1/auth/refresh', { body: spent }), 200);
      await expectStatus(call('POST', '/api/v1/auth/refresh', { body: spent }), 401);

      await expectStatus(call('GET', '/api/v1/me', { token }), 200);
      await expectStatus(call('GET', '/api/v1/me'), 401);
      await expectStatus(call('GET', '/api/v1/me', { token: 'not-a-token' }), 401);
      // 200 code points is the most a name may have: 200 emoji (400 UTF-16 units) are valid to both
      await expectStatus(call('PATCH', '/api/v1/me', { token, body: { name: '😀'.repeat(200) } }), 200);
      await expectStatus(call('PATCH', '/api/v1/me', { token, body: { name: '\u0000' } }), 400);
      // changing the login email takes the current password: 400 without it, 403 when wrong, 200 when right
      const moved = `moved-${email}`;
      await expectStatus(call('PATCH', '/api/v1/me', { token, body: { email: moved } }), 400);
      const wrongPassword = { email: moved, currentPassword: 'not the password' };
      await expectStatus(call('PATCH', '/api/v1/me', { token, body: wrongPassword }), 403);
      for (const to of [moved, email]) {
        const body = { email: to, currentPassword: 'correct horse battery' };
        await expectStatus(call('PATCH', '/api/v1/me', { token, body }), 200);
      }
      const address = { name: 'Ada', line1: '1 Main St', city: 'Dublin', postalCode: 'D01', country: 'IE' };
      const added = await expectStatus(call('POST', '/api/v1/me/addresses', { token, body: address }), 201);
      await expectStatus(call('GET', '/api/v1/me/addresses', { token }), 200);
      await expectStatus(
        call('PATCH', `/api/v1/me/addresses/${added.json().id}`, { token, body: { city: 'Cork' } }),
        200,
      );
      await expectStatus(
        call('PATCH', '/api/v1/me/addresses/00000000-0000-4000-8000-000000000000', {
          token,
          body: { city: 'Cork' },
        }),
        404,
      );
      await expectStatus(
        call('PATCH', '/api/v1/me/addresses/not-a-uuid', { token, body: { city: 'Cork' } }),
        400,
      );
      await expectStatus(call('DELETE', `/api/v1/me/addresses/${added.json().id}`, { token }), 204);
      await expectStatus(call('GET', '/api/v1/me/export', { token }), 200);

      const admin = (await expectStatus(call('POST', '/api/v1/auth/login', { body: ADMIN }), 200)).json()
        .accessToken as string;
      const staff = {
        email: `staff.${stamp}@contract.example`,
        password: 'staff password 1',
        name: 'Stock',
        roles: ['inventory_manager'],
      };
      await expectStatus(call('POST', '/api/v1/admin/staff', { token: admin, body: staff }), 201);
      await expectStatus(call('POST', '/api/v1/admin/staff', { token, body: staff }), 403);

      // catalog (staff)
      const category = `contract-${stamp}`;
      await expectStatus(
        call('POST', '/api/v1/admin/categories', { token: admin, body: { slug: category, name: 'Lamps' } }),
        201,
      );
      await expectStatus(
        call('POST', '/api/v1/admin/categories', { token: admin, body: { slug: category, name: 'Lamps' } }),
        409,
      );
      await expectStatus(
        call('PATCH', `/api/v1/admin/categories/${category}`, {
          token: admin,
          body: { name: { en: 'Lights' } },
        }),
        200,
      );
      await expectStatus(
        call('PATCH', '/api/v1/admin/categories/no-such-category', { token: admin, body: { name: 'x' } }),
        404,
      );
      const sku = `LAMP-${stamp}`.toUpperCase();
      const product = {
        slug: `desk-lamp-${stamp}`,
        name: 'Desk Lamp',
        description: 'Bright.\nWarm light.',
        category,
        attributes: { colour: 'black', watts: 40, dimmable: true },
        status: 'active',
        variants: [{ sku, options: { size: 'M' } }],
      };
      const created = await expectStatus(
        call('POST', '/api/v1/admin/products', { token: admin, body: product }),
        201,
      );
      const productId = created.json().id as string;
      await expectStatus(call('POST', '/api/v1/admin/products', { token: admin, body: product }), 409);
      await expectStatus(call('POST', '/api/v1/admin/products', { token, body: product }), 403);
      await expectStatus(call('POST', '/api/v1/admin/products', { body: product }), 401);
      await expectStatus(call('GET', `/api/v1/admin/products/${productId}`, { token: admin }), 200);
      await expectStatus(
        call('PATCH', `/api/v1/admin/products/${productId}`, {
          token: admin,
          body: { attributes: { colour: 'white' } },
        }),
        200,
      );
      await expectStatus(
        call('GET', '/api/v1/admin/products/00000000-0000-4000-8000-000000000000', { token: admin }),
        404,
      );
      const other = await expectStatus(
        call('POST', '/api/v1/admin/products', {
          token: admin,
          body: { ...product, slug: `old-lamp-${stamp}`, variants: [{ sku: `${sku}-OLD`, options: {} }] },
        }),
        201,
      );
      await expectStatus(call('DELETE', `/api/v1/admin/products/${other.json().id}`, { token: admin }), 204);

      // pricing
      await expectStatus(
        call('PUT', `/api/v1/admin/prices/${sku}`, { token: admin, body: { amount: 2500 } }),
        200,
      );
      await expectStatus(
        call('PUT', '/api/v1/admin/prices/NO-SUCH-SKU', { token: admin, body: { amount: 2500 } }),
        404,
      );
      await expectStatus(call('GET', `/api/v1/admin/prices/${sku}`, { token: admin }), 200);
      const code = `SAVE${stamp}`.toUpperCase().slice(0, 32);
      await expectStatus(
        call('POST', '/api/v1/admin/promotions', {
          token: admin,
          body: { code, type: 'percentage', value: 10 },
        }),
        201,
      );
      await expectStatus(
        call('POST', '/api/v1/admin/promotions', {
          token: admin,
          body: { code, type: 'percentage', value: 10 },
        }),
        409,
      );
      await expectStatus(call('GET', '/api/v1/admin/promotions?limit=5', { token: admin }), 200);
      await expectStatus(call('GET', '/api/v1/admin/promotions?limit=0x10', { token: admin }), 400);
      await expectStatus(call('GET', `/api/v1/admin/promotions/${code}`, { token: admin }), 200);
      await expectStatus(call('GET', '/api/v1/admin/promotions/NOPE-NOPE', { token: admin }), 404);

      // inventory
      const warehouses = await expectStatus(call('GET', '/api/v1/admin/warehouses', { token: admin }), 200);
      const warehouseId = warehouses.json()[0].id as string;
      await expectStatus(
        call('POST', '/api/v1/admin/inventory/adjustments', {
          token: admin,
          body: { sku, warehouseId, delta: 5, reason: 'received' },
        }),
        201,
      );
      await expectStatus(
        call('POST', '/api/v1/admin/inventory/adjustments', {
          token: admin,
          body: { sku, warehouseId, delta: -50, reason: 'count' },
        }),
        409,
      );
      await expectStatus(call('GET', `/api/v1/admin/inventory/${sku}`, { token: admin }), 200);
      await expectStatus(call('GET', '/api/v1/admin/inventory/NO-SUCH-SKU', { token: admin }), 404);
      await expectStatus(
        call('GET', `/api/v1/admin/inventory/${sku}/movements?limit=1`, { token: admin }),
        200,
      );
      await expectStatus(
        call('GET', `/api/v1/admin/inventory/${sku}/movements?limit=`, { token: admin }),
        400,
      );
      await expectStatus(call('GET', '/api/v1/admin/warehouses', { token }), 403);

      // catalog (storefront), with validators
      const listing = await expectStatus(call('GET', `/api/v1/products?category=${category}&limit=10`), 200);
      await expectStatus(
        call('GET', `/api/v1/products?category=${category}&limit=10`, {
          headers: { 'if-none-match': listing.headers.get('etag')! },
        }),
        304,
      );
      await expectStatus(
        call('GET', '/api/v1/products?q=desk%20lamp&sort=price_asc&minPrice=0&maxPrice=100000'),
        200,
      );
      await expectStatus(call('GET', '/api/v1/products?limit=0x10'), 400);
      await expectStatus(call('GET', '/api/v1/products?colour=red'), 400);
      const detail = await expectStatus(call('GET', `/api/v1/products/${product.slug}`), 200);
      await expectStatus(
        call('GET', `/api/v1/products/${productId}`, {
          headers: { 'if-none-match': detail.headers.get('etag')! },
        }),
        304,
      );
      await expectStatus(call('GET', '/api/v1/products/no-such-product'), 404);
      const categories = await expectStatus(call('GET', '/api/v1/categories?locale=en'), 200);
      await expectStatus(
        call('GET', '/api/v1/categories', { headers: { 'if-none-match': categories.headers.get('etag')! } }),
        304,
      );

      // cart
      const guest = (await expectStatus(call('POST', '/api/v1/carts'), 201)).json().id as string;
      const mine = (await expectStatus(call('POST', '/api/v1/carts', { token, body: {} }), 201)).json()
        .id as string;
      await expectStatus(call('GET', `/api/v1/carts/${guest}`), 200);
      await expectStatus(call('GET', `/api/v1/carts/${mine}`), 404); // a customer's cart is not the anonymous caller's
      await expectStatus(call('GET', `/api/v1/carts/${guest}`, { token: 'not-a-token' }), 401);
      await expectStatus(call('POST', `/api/v1/carts/${guest}/items`, { body: { sku, quantity: 2 } }), 200);
      await expectStatus(call('POST', `/api/v1/carts/${guest}/items`, { body: { sku, quantity: 99 } }), 409);
      await expectStatus(
        call('POST', `/api/v1/carts/${guest}/items`, { body: { sku: 'NO-SUCH-SKU', quantity: 1 } }),
        404,
      );
      await expectStatus(call('POST', `/api/v1/carts/${guest}/items`, { body: { sku, quantity: 0 } }), 400);
      await expectStatus(
        call('PATCH', `/api/v1/carts/${guest}/items/${sku}`, { body: { quantity: 3 } }),
        200,
      );
      await expectStatus(call('POST', `/api/v1/carts/${guest}/promotion`, { body: { code } }), 200);
      await expectStatus(
        call('POST', `/api/v1/carts/${guest}/promotion`, { body: { code: 'NO-SUCH-CODE' } }),
        409,
      );
      await expectStatus(call('DELETE', `/api/v1/carts/${guest}/promotion`), 200);
      await expectStatus(
        call('PUT', `/api/v1/carts/${guest}/shipping`, { body: { address, option: 'standard' } }),
        200,
      );
      await expectStatus(
        call('PUT', `/api/v1/carts/${guest}/shipping`, { body: { address, option: 'teleport' } }),
        400,
      );
      await expectStatus(
        call('PUT', `/api/v1/carts/${guest}/email`, { body: { email: 'guest@contract.example' } }),
        200,
      );
      await expectStatus(
        call('PUT', `/api/v1/carts/${mine}/email`, { token, body: { email: 'guest@contract.example' } }),
        409,
      );
      await expectStatus(call('DELETE', `/api/v1/carts/${guest}/items/${sku}`), 200);
      await expectStatus(call('DELETE', `/api/v1/carts/${guest}/items/${sku}`), 404);
      await expectStatus(call('GET', '/api/v1/carts/00000000-0000-4000-8000-000000000000'), 404);

      // Idempotency-Key: replayed for the same body, 422 for another, 400 when malformed
      const key = { 'idempotency-key': `contract-${stamp}` };
      await expectStatus(
        call('POST', `/api/v1/carts/${guest}/items`, { headers: key, body: { sku, quantity: 1 } }),
        200,
      );
      const replay = await expectStatus(
        call('POST', `/api/v1/carts/${guest}/items`, { headers: key, body: { sku, quantity: 1 } }),
        200,
      );
      expect(replay.headers.get('idempotent-replayed')).toBe('true');
      await expectStatus(
        call('POST', `/api/v1/carts/${guest}/items`, { headers: key, body: { sku, quantity: 2 } }),
        422,
      );
      await expectStatus(call('POST', '/api/v1/carts', { headers: { 'idempotency-key': 'é' } }), 400);

      // orders: placed through the facade as checkout will, then read by their owner, a guest, staff
      const customerId = registered.json().customer.id as string;
      const place = (order: NewOrder) =>
        placeOrder(t.runtime.platform.dataSource, t.runtime.modules.orders.facade, order);
      const mineOrders = [
        await place(newOrder({ customerId, email })),
        await place(newOrder({ customerId, email })),
      ];
      const guestOrder = await place(newOrder({ customerId: null, email: 'guest@contract.example' }));
      const history = await expectStatus(call('GET', '/api/v1/orders?limit=1', { token }), 200);
      await expectStatus(
        call('GET', `/api/v1/orders?limit=1&cursor=${history.json().nextCursor}`, { token }),
        200,
      );
      await expectStatus(call('GET', '/api/v1/orders'), 401);
      await expectStatus(call('GET', '/api/v1/orders?limit=0', { token }), 400);
      await expectStatus(call('GET', `/api/v1/orders/${mineOrders[0]!.id}`, { token }), 200);
      await expectStatus(call('GET', `/api/v1/orders/${mineOrders[0]!.id}`), 404);
      await expectStatus(call('GET', `/api/v1/orders/${guestOrder.id}?email=GUEST%40contract.example`), 200);
      await expectStatus(call('GET', `/api/v1/orders/${guestOrder.id}?email=other%40contract.example`), 404);
      await expectStatus(call('GET', '/api/v1/orders/not-a-uuid'), 400);
      await expectStatus(call('GET', `/api/v1/orders/${guestOrder.id}`, { token: 'not-a-token' }), 401);
      await expectStatus(
        call('GET', `/api/v1/admin/orders?status=PAYMENT_PENDING&customerId=${customerId}&limit=1`, {
          token: admin,
        }),
        200,
      );
      await expectStatus(
        call('GET', '/api/v1/admin/orders?from=2026-01-01T00:00:00Z&to=2100-01-01T00:00:00%2B01:00', {
          token: admin,
        }),
        200,
      );
      await expectStatus(
        call('GET', '/api/v1/admin/orders?from=2024-02-29T23:59:59.999999999-01:30&to=2100-01-01T00:00Z', {
          token: admin,
        }),
        200,
      );
      // each invalid combination of the window: one bad, both bad, impossible dates (the document's
      // pattern refuses them too), and from after to (which no pattern can state)
      const instantsRefused = [
        'from=2020-01-01T00:00:00Z&to=x',
        'from=x&to=2020-01-01T00:00:00Z',
        'from=x&to=y',
        'from=2026-02-30T00:00:00Z',
        'to=2025-02-29T00:00:00Z',
        'from=2026-03-01T24:00:00Z&to=2026-04-31T00:00:00Z',
        'from=2026-03-01T12:00:00',
        `from=2020-01-01T00:00:00Z&status=LOST&customerId=nope&limit=0&to=${encodeURIComponent('2026-03-01 12:00')}`,
      ];
      for (const query of instantsRefused) {
        await expectRefusedByDocument(call('GET', `/api/v1/admin/orders?${query}`, { token: admin }));
      }
      const backwards = await expectStatus(
        call('GET', '/api/v1/admin/orders?from=2026-03-02T00:00:00Z&to=2026-03-01T00:00:00Z', {
          token: admin,
        }),
        400,
      );
      expect(backwards.json().errors).toEqual([{ path: 'query.to', message: 'must not be before `from`' }]);
      await expectStatus(call('GET', '/api/v1/admin/orders?status=LOST', { token: admin }), 400);
      await expectStatus(call('GET', '/api/v1/admin/orders?cursor=bm9wZQ', { token: admin }), 400);
      await expectStatus(call('GET', '/api/v1/admin/orders', { token }), 403);
      await expectStatus(call('GET', '/api/v1/admin/orders'), 401);
      await expectStatus(call('GET', `/api/v1/admin/orders/${guestOrder.id}`, { token: admin }), 200);
      await expectStatus(
        call('GET', '/api/v1/admin/orders/00000000-0000-4000-8000-000000000000', { token: admin }),
        404,
      );
      await expectStatus(call('GET', `/api/v1/admin/orders/${guestOrder.id}`, { token }), 403);

      // payments: a provider's webhook, signed (HMAC-SHA256 of the raw body under the development key) or not
      const event = {
        id: `evt_contract_${stamp}`,
        type: 'payment.voided',
        created: new Date().toISOString(),
        data: { reference: 'fake_auth_contract' },
      };
      const signed = signFakeWebhook(DEV_FAKE_PSP_WEBHOOK_SECRET, event);
      const webhook = '/api/v1/payments/webhooks/fake';
      const hook = await expectStatus(
        call('POST', webhook, { raw: signed.body, headers: signed.headers }),
        200,
      );
      expect(hook.json()).toMatchObject({ received: true, eventId: event.id });
      const replayed = await expectStatus(
        call('POST', webhook, { raw: signed.body, headers: signed.headers }),
        200,
      );
      expect(replayed.json().outcome).toBe('duplicate');
      await expectStatus(
        call('POST', webhook, {
          raw: signed.body,
          headers: { ...signed.headers, 'x-fake-signature': `sha256=${'0'.repeat(64)}` },
        }),
        401,
      );
      await expectStatus(
        call('POST', webhook, { raw: signed.body, headers: { 'content-type': 'application/json' } }),
        401,
      );
      await expectStatus(
        call('POST', '/api/v1/payments/webhooks/acme', { raw: signed.body, headers: signed.headers }),
        404,
      );

      // checkout: orders placed, replayed, declined, pending; cancelled by their owner; refunded by an admin
      await expectStatus(
        call('POST', '/api/v1/admin/inventory/adjustments', {
          token: admin,
          body: { sku, warehouseId, delta: 20, reason: 'for checkout' },
        }),
        201,
      );
      const orderCart = async (auth?: string) => {
        const id = (
          await expectStatus(call('POST', '/api/v1/carts', auth ? { token: auth } : {}), 201)
        ).json().id as string;
        await expectStatus(
          call('POST', `/api/v1/carts/${id}/items`, { token: auth, body: { sku, quantity: 1 } }),
          200,
        );
        await expectStatus(
          call('PUT', `/api/v1/carts/${id}/shipping`, { token: auth, body: { address, option: 'standard' } }),
          200,
        );
        if (!auth)
          await expectStatus(
            call('PUT', `/api/v1/carts/${id}/email`, { body: { email: 'buyer@contract.example' } }),
            200,
          );
        return id;
      };
      const order = (cartId: string, tokenName: string, opts: { key?: string; auth?: string } = {}) =>
        call('POST', '/api/v1/orders', {
          token: opts.auth,
          headers: { 'idempotency-key': opts.key ?? `order-${stamp}-${Math.random()}` },
          body: { cartId, payment: { token: tokenName } },
        });
      const bought = await orderCart(token);
      await expectStatus(
        call('POST', '/api/v1/orders', { token, body: { cartId: bought, payment: { token: 'tok_visa' } } }),
        400,
      );
      const orderKey = `order-${stamp}-first`;
      const placed = await expectStatus(order(bought, 'tok_visa', { key: orderKey, auth: token }), 201);
      const orderId = placed.json().id as string;
      await expectStatus(order(bought, 'tok_visa', { key: orderKey, auth: token }), 201);
      await expectStatus(order(bought, 'tok_mastercard', { key: orderKey, auth: token }), 422);
      await expectStatus(order(await orderCart(), 'tok_declined'), 402);
      await expectStatus(order('00000000-0000-4000-8000-000000000000', 'tok_visa'), 404);
      const unready = (await expectStatus(call('POST', '/api/v1/carts'), 201)).json().id as string;
      await expectStatus(order(unready, 'tok_visa'), 409);
      await expectStatus(order(unready, 'not a token!'), 400);
      const provider = t.runtime.modules.payments.provider as unknown as { setOutage(on: boolean): void };
      provider.setOutage(true);
      try {
        await expectStatus(order(await orderCart(), 'tok_visa'), 202);
      } finally {
        provider.setOutage(false);
      }
      await expectStatus(call('POST', `/api/v1/orders/${orderId}/cancel`), 401);
      const stranger = (
        await expectStatus(
          call('POST', '/api/v1/auth/register', {
            body: {
              email: `stranger.${stamp}@contract.example`,
              password: 'correct horse battery',
              name: 'S',
            },
          }),
          201,
        )
      ).json().accessToken as string;
      await expectStatus(call('POST', `/api/v1/orders/${orderId}/cancel`, { token: stranger }), 404);
      await expectStatus(
        call('POST', `/api/v1/orders/${orderId}/cancel`, { token, body: { reason: 'changed my mind' } }),
        200,
      );
      await expectStatus(call('POST', `/api/v1/orders/${orderId}/cancel`, { token }), 409);
      const refundable = await expectStatus(order(await orderCart(), 'tok_visa'), 201);
      const refundId = refundable.json().id as string;
      await t.runtime.modules.payments.facade.capture(refundId);
      const refunds = `/api/v1/admin/orders/${refundId}/refunds`;
      await expectStatus(
        call('POST', refunds, { token: admin, body: { amount: 100, reason: 'scratched' } }),
        201,
      );
      await expectStatus(
        call('POST', refunds, { token: admin, body: { amount: 10_000_000, reason: 'too much' } }),
        409,
      );
      await expectStatus(call('POST', refunds, { token: admin, body: { reason: 'the rest' } }), 201);
      // the limits: at the maximum a payment can hold (more than is left: 409), over it, 0, negative
      await expectStatus(
        call('POST', refunds, { token: admin, body: { amount: MAX_PAYMENT_AMOUNT, reason: 'at the max' } }),
        409,
      );
      for (const amount of [MAX_PAYMENT_AMOUNT + 1, 100_000_000_000, 0, -1, 1.5]) {
        await expectRefusedByDocument(
          call('POST', refunds, { token: admin, body: { amount, reason: 'out of range' } }),
        );
      }
      await expectStatus(call('POST', refunds, { token, body: { reason: 'mine' } }), 403);
      await expectStatus(
        call('POST', '/api/v1/admin/orders/00000000-0000-4000-8000-000000000000/refunds', {
          token: admin,
          body: { reason: 'none' },
        }),
        404,
      );

      // fulfilment: the shipment of a confirmed order through the warehouse, staff only
      const shipped = (await expectStatus(order(await orderCart(), 'tok_visa'), 201)).json().id as string;
      const shipments = `/api/v1/admin/shipments?orderId=${shipped}`;
      const shipmentId = await pollUntil(
        async () =>
          (await expectStatus(call('GET', shipments, { token: admin }), 200)).json().items[0]?.id as
            | string
            | undefined,
        (id) => id !== undefined,
        10_000,
      );
      expect(shipmentId, 'the confirmed order got a shipment').toBeDefined();
      const shipmentUrl = `/api/v1/admin/shipments/${shipmentId}`;
      await expectStatus(
        call('GET', '/api/v1/admin/shipments?status=pending&limit=1', { token: admin }),
        200,
      );
      await expectStatus(call('GET', '/api/v1/admin/shipments?status=lost', { token: admin }), 400);
      await expectStatus(call('GET', '/api/v1/admin/shipments?cursor=bm9wZQ', { token: admin }), 400);
      await expectStatus(call('GET', '/api/v1/admin/shipments'), 401);
      await expectStatus(call('GET', '/api/v1/admin/shipments', { token }), 403);
      await expectStatus(call('GET', shipmentUrl, { token: admin }), 200);
      await expectStatus(call('GET', '/api/v1/admin/shipments/not-a-uuid', { token: admin }), 400);
      await expectStatus(
        call('GET', '/api/v1/admin/shipments/00000000-0000-4000-8000-000000000000', { token: admin }),
        404,
      );
      await expectStatus(call('POST', `${shipmentUrl}/pack`, { token: admin }), 409);
      await expectStatus(call('POST', `${shipmentUrl}/pick`, { token }), 403);
      await expectStatus(call('POST', `${shipmentUrl}/pick`), 401);
      await expectStatus(
        call('POST', '/api/v1/admin/shipments/00000000-0000-4000-8000-000000000000/pick', { token: admin }),
        404,
      );
      for (const step of ['pick', 'pack', 'dispatch', 'deliver']) {
        await expectStatus(call('POST', `${shipmentUrl}/${step}`, { token: admin }), 200);
      }
      await expectStatus(call('POST', `${shipmentUrl}/dispatch`, { token: admin }), 409);
      await expectStatus(call('GET', `/api/v1/admin/orders/${shipped}`, { token: admin }), 200);

      // returns: the delivered (guest) order's units back by its email, staff steps; receipt refusals
      const delivered = await pollUntil(
        async () =>
          (await expectStatus(call('GET', `/api/v1/admin/orders/${shipped}`, { token: admin }), 200)).json(),
        (o) => o.status === 'DELIVERED',
        10_000,
      );
      expect(delivered.status, 'the order was delivered').toBe('DELIVERED');
      const returnedSku = delivered.items[0].sku as string;
      const orderReturns = `/api/v1/orders/${shipped}/returns`;
      const byEmail = '?email=buyer%40contract.example';
      const oneUnit = { lines: [{ sku: returnedSku, quantity: 1, reason: 'no_longer_needed' }] };
      await expectStatus(call('GET', `${orderReturns}${byEmail}`), 200);
      await expectStatus(call('GET', orderReturns, { token: admin }), 200);
      await expectStatus(call('GET', orderReturns, { token }), 404);
      await expectStatus(call('GET', `/api/v1/orders/not-a-uuid/returns${byEmail}`), 400);
      await expectStatus(call('POST', orderReturns, { token, body: oneUnit }), 404);
      await expectRefusedByDocument(
        call('POST', `${orderReturns}${byEmail}`, {
          body: { lines: [{ sku: returnedSku, quantity: 1, reason: 'changed_my_mind' }] },
        }),
      );
      await expectStatus(
        call('POST', `${orderReturns}${byEmail}`, {
          body: { lines: [{ sku: returnedSku, quantity: 1000, reason: 'other' }] },
        }),
        409,
      );
      const cancelled = (
        await expectStatus(call('POST', `${orderReturns}${byEmail}`, { body: oneUnit }), 201)
      ).json().id as string;
      await expectStatus(call('POST', `${orderReturns}/${cancelled}/cancel${byEmail}`), 200);
      await expectStatus(call('POST', `${orderReturns}/${cancelled}/cancel${byEmail}`), 409);
      await expectStatus(
        call('POST', `${orderReturns}/00000000-0000-4000-8000-000000000000/cancel${byEmail}`),
        404,
      );
      const rejected = (
        await expectStatus(call('POST', `${orderReturns}${byEmail}`, { body: oneUnit }), 201)
      ).json().id as string;
      const rejectedUrl = `/api/v1/admin/returns/${rejected}`;
      await expectStatus(call('POST', `${rejectedUrl}/reject`, { token }), 403);
      await expectStatus(
        call('POST', `${rejectedUrl}/reject`, { token: admin, body: { reason: 'worn' } }),
        200,
      );
      await expectStatus(
        call('POST', `${rejectedUrl}/reject`, { token: admin, body: { reason: 'again' } }),
        409,
      );
      const approved = (
        await expectStatus(call('POST', `${orderReturns}${byEmail}`, { body: oneUnit }), 201)
      ).json().id as string;
      const approvedUrl = `/api/v1/admin/returns/${approved}`;
      const receipt = (into: string) => ({
        warehouseId: into,
        lines: [{ sku: returnedSku, quantity: 1, condition: 'resellable' }],
      });
      await expectStatus(
        call('POST', `${approvedUrl}/receive`, { token: admin, body: receipt(warehouseId) }),
        409,
      );
      await expectStatus(call('POST', `${approvedUrl}/approve`, { token }), 403);
      await expectStatus(call('POST', `${approvedUrl}/approve`), 401);
      await expectStatus(call('POST', `${approvedUrl}/approve`, { token: admin }), 200);
      await expectStatus(call('POST', `${approvedUrl}/approve`, { token: admin }), 409);
      await expectStatus(
        call('POST', '/api/v1/admin/returns/00000000-0000-4000-8000-000000000000/approve', { token: admin }),
        404,
      );
      await expectStatus(
        call('POST', `${approvedUrl}/receive`, {
          token: admin,
          body: { ...receipt(warehouseId), lines: [{ sku: returnedSku, quantity: 2, condition: 'damaged' }] },
        }),
        400,
      );
      await expectStatus(
        call('POST', '/api/v1/admin/returns/00000000-0000-4000-8000-000000000000/receive', {
          token: admin,
          body: receipt(warehouseId),
        }),
        404,
      );
      await expectStatus(call('POST', `${approvedUrl}/receive`, { token, body: receipt(warehouseId) }), 403);
      await expectStatus(call('GET', approvedUrl, { token: admin }), 200);
      await expectStatus(
        call('GET', '/api/v1/admin/returns/00000000-0000-4000-8000-000000000000', { token: admin }),
        404,
      );
      await expectStatus(
        call('GET', `/api/v1/admin/returns?orderId=${shipped}&status=APPROVED`, { token: admin }),
        200,
      );
      await expectStatus(call('GET', '/api/v1/admin/returns?status=lost', { token: admin }), 400);
      await expectStatus(call('GET', '/api/v1/admin/returns?cursor=bm9wZQ', { token: admin }), 400);
      await expectStatus(call('GET', '/api/v1/admin/returns'), 401);
      await expectStatus(call('GET', '/api/v1/admin/returns', { token }), 403);

      // notifications (no SMTP_URL: kept on the machine, read by staff): the shipped order's confirmation
      const mails = `/api/v1/admin/notifications?orderId=${shipped}`;
      const confirmation = await pollUntil(
        async () =>
          (
            (await expectStatus(call('GET', mails, { token: admin }), 200)).json().items as {
              id: string;
              template: string;
              status: string;
            }[]
          ).find((m) => m.template === 'order-confirmed'),
        (m) => m?.status === 'sent',
        10_000,
      );
      expect(confirmation?.status, 'the confirmation was kept as sent').toBe('sent');
      const mailUrl = `/api/v1/admin/notifications/${confirmation!.id}`;
      await expectStatus(call('GET', mailUrl, { token: admin }), 200);
      await expectStatus(
        call('GET', '/api/v1/admin/notifications?status=sent&limit=1', { token: admin }),
        200,
      );
      await expectStatus(call('GET', '/api/v1/admin/notifications?status=lost', { token: admin }), 400);
      await expectStatus(call('GET', '/api/v1/admin/notifications'), 401);
      await expectStatus(call('GET', '/api/v1/admin/notifications', { token }), 403);
      await expectStatus(
        call('GET', '/api/v1/admin/notifications/00000000-0000-4000-8000-000000000000', { token: admin }),
        404,
      );
      await expectStatus(call('GET', '/api/v1/admin/notifications/not-a-uuid', { token: admin }), 400);
      await expectStatus(
        call('POST', '/api/v1/admin/notifications/not-a-uuid/resend', { token: admin }),
        400,
      );
      await expectStatus(call('POST', `${mailUrl}/resend`, { token }), 403);
      await expectStatus(call('POST', `${mailUrl}/resend`, { token: admin }), 200);
      await expectStatus(
        call('POST', '/api/v1/admin/notifications/00000000-0000-4000-8000-000000000000/resend', {
          token: admin,
        }),
        404,
      );

      // dead letters (embedded mode): none parked here; the replay of an unknown one
      await expectStatus(call('GET', '/api/v1/admin/dead-letters?limit=5', { token: admin }), 200);
      await expectStatus(call('GET', '/api/v1/admin/dead-letters?cursor=nope', { token: admin }), 400);
      await expectStatus(call('GET', '/api/v1/admin/dead-letters'), 401);
      await expectStatus(call('GET', '/api/v1/admin/dead-letters', { token }), 403);
      const unknownLetter = '/api/v1/admin/dead-letters/00000000-0000-4000-8000-000000000000/replay';
      await expectStatus(call('POST', unknownLetter, { token: admin }), 404);
      await expectStatus(call('POST', unknownLetter, { token }), 403);
      await expectStatus(call('POST', '/api/v1/admin/dead-letters/nope/replay', { token: admin }), 400);

      // bytes that are not UTF-8, straight to the app (Prism would re-encode them): 400 on any route
      for (const url of [
        '/api/v1/products?q=%ZZ',
        '/api/v1/products?q=%ED%A0%80',
        '/api/v1/products?q=caf%C3',
        `/api/v1/admin/orders?from=%ED%A0%80`,
        '/api/v1/region?x=%C0%AF',
        '/healthz?probe=%',
      ]) {
        const res = await direct('GET', url, { token: admin });
        expect(res.status, url).toBe(400);
        expect(res.json().code, url).toBe('VALIDATION_FAILED');
      }
      for (const bytes of [[0xff], [0xed, 0xa0, 0x80], [0xc3, 0x28]]) {
        const res = await direct('POST', '/api/v1/auth/register', {
          headers: { 'content-type': 'application/json' },
          raw: Buffer.concat([
            Buffer.from(
              `{"email":"bytes.${stamp}@contract.example","password":"correct horse battery","name":"B`,
            ),
            Buffer.from(bytes),
            Buffer.from('"}'),
          ]),
        });
        expect(res.status, String(bytes)).toBe(400);
      }
      expect((await direct('GET', '/api/v1/products?q=caf%C3%A9')).status).toBe(200);

      // the end of an account
      await expectStatus(call('POST', '/api/v1/auth/logout', { token }), 204);
      await expectStatus(call('GET', '/api/v1/me', { token }), 401);
      const bye = await expectStatus(
        call('POST', '/api/v1/auth/register', {
          body: { email: `bye.${stamp}@contract.example`, password: 'correct horse battery', name: 'Bye' },
        }),
        201,
      );
      await expectStatus(call('DELETE', '/api/v1/me', { token: bye.json().accessToken }), 204);

      // rate limited: the auth routes allow AUTH_LIMIT requests a minute per client
      let limited = false;
      for (let i = 0; i <= AUTH_LIMIT && !limited; i++) {
        const res = await call('POST', '/api/v1/auth/refresh', { body: { refreshToken: 'rt_spent' } });
        limited = res.status === 429;
        if (limited) expect(Number(res.headers.get('retry-after'))).toBeGreaterThan(0);
      }
      expect(limited).toBe(true);
    }, 60_000);

    it('covered every operation of the document', () => {
      const operationOf = matcher(doc);
      const hit = new Set(exchanges.map((x) => `${x.method} ${operationOf(x.url)}`));
      const all = Object.entries(doc.paths).flatMap(([p, ops]) =>
        Object.keys(ops).map((m) => `${m.toUpperCase()} ${p}`),
      );
      expect(all.length).toBeGreaterThanOrEqual(45);
      expect(all.filter((op) => !hit.has(op))).toEqual([]);
    });

    it('found no response that the document does not describe', () => {
      expect(exchanges.length).toBeGreaterThan(100);
      const operationOf = matcher(doc);
      const problems: string[] = [];
      for (const x of exchanges) {
        const where = `${x.method} ${x.url} → ${x.status}`;
        // Prism: status declared, body valid against its schema, declared headers present and valid
        for (const v of x.violations.filter((v) => v.location[0] === 'response')) {
          problems.push(`${where}: [prism] ${v.message}`);
        }
        // the media type exactly (Prism takes application/problem+json for application/json)
        const template = operationOf(x.url);
        const op = template ? doc.paths[template]?.[x.method.toLowerCase()] : undefined;
        if (!op) continue;
        const declared = op.responses[String(x.status)] ?? op.responses.default;
        if (!declared) {
          problems.push(`${where}: status not declared`);
          continue;
        }
        const media = x.contentType?.split(';')[0]?.trim();
        const types = Object.keys(declared.content ?? {});
        if (x.body.length > 0 && (!media || !types.includes(media))) {
          problems.push(`${where}: served as ${media}, declared as ${types.join(', ') || 'no body'}`);
        }
        // what Prism did not see: an error body is the document's Problem (its source schema)
        if (x.direct && x.status >= 400 && !problemSchema.safeParse(JSON.parse(x.body)).success) {
          problems.push(`${where}: not a Problem: ${x.body.slice(0, 200)}`);
        }
      }
      expect(problems).toEqual([]);
    });

    it('found every request the document refuses refused by Prism too: the document states the limits', () => {
      expect(refusedByDocument.length).toBeGreaterThanOrEqual(13);
      const unstated = refusedByDocument
        .filter((x) => !x.violations.some((v) => v.location[0] === 'request'))
        .map((x) => `${x.method} ${x.url} → ${x.status}: the document accepts what the server refused`);
      expect(unstated).toEqual([]);
    });

    it('found the requests the app accepted valid by the document too', () => {
      const disagreements = exchanges
        .filter(
          (x) =>
            (x.status < 300 || x.status === 304) && x.violations.some((v) => v.location[0] === 'request'),
        )
        .map((x) => `${x.method} ${x.url} → ${x.status}: ${x.violations.map((v) => v.message).join('; ')}`);
      expect(disagreements).toEqual([]);
    });
  },
);
