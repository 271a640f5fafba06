import { randomUUID } from 'node:crypto';
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEV_FAKE_PSP_WEBHOOK_SECRET } from '../../../src/platform/config/config.js';
import { startTestApp, type TestApp } from '../../support/app.js';
import { bearer, json, loginAs, shopAdmin } from '../../support/http.js';
import { missing } from '../../support/skip.js';
import { waitFor } from '../../support/wait.js';

/** Everything the app writes to its log, as text and as parsed lines. */
class Captured extends Writable {
  text = '';
  override _write(chunk: Buffer, _enc: BufferEncoding, done: () => void) {
    this.text += chunk.toString();
    done();
  }
  get lines(): Record<string, unknown>[] {
    return this.text
      .split('\n')
      .filter((l) => l.trim())
      .map((l) => JSON.parse(l));
  }
}

/** An instance whose every log line, at `level`, goes to `out` — as `npm start` builds it otherwise. */
const startLoggedApp = (level: 'info' | 'debug', out: Captured, admin: { email: string; password: string }) =>
  startTestApp(
    { LOG_LEVEL: level, ADMIN_EMAIL: admin.email, ADMIN_PASSWORD: admin.password },
    { logTo: out },
  );

/**
 * The whole of a shopper's and a guest's personal data, in strings that occur nowhere else, so that
 * finding none of them in the log cannot happen by accident.
 */
const people = (tag: string) => ({
  admin: { email: `ops.wrenfield.${tag}@logcheck-admin.example`, password: `Adm1n-Wrenfield-${tag}` },
  customer: {
    firstName: 'Zebulonia',
    lastName: 'Quillfeather',
    email: `zebulonia.quill+${tag}@logcheck-customer.example`,
    password: `Corr3ct-Quill-${tag}`,
    address: {
      name: 'Zebulonia Quillfeather',
      line1: '221 Wolfsbane Terrace',
      line2: 'Flat Periwinkle',
      city: 'Upper Snodsbury',
      postalCode: 'QZ7 3XJ',
      country: 'GB',
      phone: '+44 7700 900817',
    },
    newPhone: '+44 7700 900923',
  },
  guest: {
    firstName: 'Hortensia',
    lastName: 'Vantongeren',
    email: `hortensia.vant+${tag}@logcheck-guest.example`,
    address: {
      name: 'Hortensia Vantongeren',
      line1: '9 Marzipan Wynd',
      city: 'Little Thrumbleton',
      postalCode: 'XV4 8QW',
      country: 'GB',
      phone: '+44 7700 900654',
    },
  },
});

/** The ways a string can reach a log line (compared in any case): as it is, percent-encoded, digits only. */
const spellings = (s: string): string[] => {
  const out = new Set([s, encodeURIComponent(s), encodeURIComponent(s).replace(/%20/g, '+')]);
  if (/^\+?[0-9 ]+$/.test(s)) out.add(s.replace(/\D/g, ''));
  return [...out];
};

describe.skipIf(missing('postgres'))(
  'no personal data, token or credential in the logs, at any level',
  () => {
    for (const level of ['info', 'debug'] as const) {
      describe(`LOG_LEVEL=${level}`, () => {
        const out = new Captured();
        const who = people(randomUUID().slice(0, 8));
        let t: TestApp;
        beforeAll(async () => {
          t = await startLoggedApp(level, out, who.admin);
        });
        afterAll(async () => t?.close());

        it('a journey — register, addresses, guest checkout and lookup, erasure — leaves none of its data in the log', async () => {
          const call = async (
            method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE',
            url: string,
            status: number,
            opts: { body?: unknown; headers?: Record<string, string> } = {},
          ) => {
            const r =
              opts.body === undefined
                ? await t.app.inject({ method, url, headers: opts.headers ?? {} })
                : await t.app.inject({ method, url, ...json(opts.body, opts.headers) });
            expect(r.statusCode, `${method} ${url}: ${r.body}`).toBe(status);
            return r.body ? r.json() : undefined;
          };
          const admin = await loginAs(t, who.admin);
          const sku = await shopAdmin(t, admin).stockedSku('LOGCHECK');
          const { customer, guest } = who;

          // a customer: registers, keeps an address, refreshes the session, buys with it
          const reg = await call('POST', '/api/v1/auth/register', 201, {
            body: {
              email: customer.email,
              password: customer.password,
              name: `${customer.firstName} ${customer.lastName}`,
            },
          });
          const first = { access: reg.accessToken as string, refresh: reg.refreshToken as string };
          await call('GET', '/api/v1/me', 200, { headers: bearer(first.access) });
          const address = await call('POST', '/api/v1/me/addresses', 201, {
            body: customer.address,
            headers: bearer(first.access),
          });
          await call('PATCH', `/api/v1/me/addresses/${address.id}`, 200, {
            body: { phone: customer.newPhone },
            headers: bearer(first.access),
          });
          const refreshed = await call('POST', '/api/v1/auth/refresh', 200, {
            body: { refreshToken: first.refresh },
          });
          const session = {
            access: refreshed.accessToken as string,
            refresh: refreshed.refreshToken as string,
          };
          const auth = bearer(session.access);
          await call('GET', '/api/v1/me/addresses', 200, { headers: auth });
          const customerCart = (await call('POST', '/api/v1/carts', 201, { headers: auth })).id as string;
          await call('POST', `/api/v1/carts/${customerCart}/items`, 200, {
            body: { sku, quantity: 1 },
            headers: auth,
          });
          await call('PUT', `/api/v1/carts/${customerCart}/shipping`, 200, {
            body: { address: customer.address, option: 'standard' },
            headers: auth,
          });
          const customerOrder = await call('POST', '/api/v1/orders', 201, {
            body: { cartId: customerCart, payment: { token: 'tok_visa' } },
            headers: { ...auth, 'idempotency-key': randomUUID() },
          });

          // a guest: cart, items, address, email, order, then the lookup by email (and wrong ones)
          const guestCart = (await call('POST', '/api/v1/carts', 201)).id as string;
          await call('POST', `/api/v1/carts/${guestCart}/items`, 200, { body: { sku, quantity: 2 } });
          await call('PUT', `/api/v1/carts/${guestCart}/shipping`, 200, {
            body: { address: guest.address, option: 'standard' },
          });
          await call('PUT', `/api/v1/carts/${guestCart}/email`, 200, { body: { email: guest.email } });
          await call('GET', `/api/v1/carts/${guestCart}`, 200);
          const order = await call('POST', '/api/v1/orders', 201, {
            body: { cartId: guestCart, payment: { token: 'tok_visa' } },
            headers: { 'idempotency-key': randomUUID() },
          });
          await call('GET', `/api/v1/orders/${order.id}?email=${encodeURIComponent(guest.email)}`, 200);
          await call(
            'GET',
            `/api/v1/orders/${order.id}?email=${encodeURIComponent(guest.email.toUpperCase())}`,
            200,
          );
          await call('GET', `/api/v1/orders/${order.id}?email=${encodeURIComponent(customer.email)}`, 404);
          await call(
            'GET',
            `/api/v1/orders/${order.id}?email=${encodeURIComponent(guest.address.name)}`,
            400,
          );
          // a URL that matches no route, with the cart's credential and an email in it
          await call(
            'GET',
            `/api/v1/cart/${guestCart}/${guest.email}?email=${encodeURIComponent(guest.email)}`,
            404,
          );

          // the customer erases their account; the old session and refresh token are refused after
          await call('DELETE', '/api/v1/me', 204, { headers: auth });
          await call('GET', '/api/v1/me', 401, { headers: auth });
          await call('POST', '/api/v1/auth/refresh', 401, { body: { refreshToken: session.refresh } });
          await waitFor('the customer’s order to be anonymised', async () => {
            const rows: { erased_at: Date | null }[] = await t.runtime.platform.dataSource.query(
              'SELECT erased_at FROM orders_orders WHERE id = $1',
              [customerOrder.id],
            );
            return rows[0]?.erased_at != null;
          });
          await waitFor('the outbox to drain', async () => {
            const [row]: { n: number }[] = await t.runtime.platform.dataSource.query(
              'SELECT count(*)::int AS n FROM outbox WHERE published_at IS NULL',
            );
            return row?.n === 0;
          });

          const log = out.text.toLowerCase();
          const forbidden: Record<string, string> = {
            'admin email': who.admin.email,
            'admin password': who.admin.password,
            'customer email': customer.email,
            'customer password': customer.password,
            'customer first name': customer.firstName,
            'customer last name': customer.lastName,
            'customer street': customer.address.line1,
            'customer address line 2': customer.address.line2,
            'customer city': customer.address.city,
            'customer postal code': customer.address.postalCode,
            'customer phone': customer.address.phone,
            'customer new phone': customer.newPhone,
            'guest email': guest.email,
            'guest first name': guest.firstName,
            'guest last name': guest.lastName,
            'guest street': guest.address.line1,
            'guest city': guest.address.city,
            'guest postal code': guest.address.postalCode,
            'guest phone': guest.address.phone,
            'first access token': first.access,
            'first access token signature': first.access.split('.')[2]!,
            'first refresh token': first.refresh,
            'refreshed access token': session.access,
            'refreshed refresh token': session.refresh,
            'guest cart id (its credential)': guestCart,
            'customer cart id': customerCart,
            'payment token': 'tok_visa',
            'development webhook key': DEV_FAKE_PSP_WEBHOOK_SECRET,
          };
          const found = Object.entries(forbidden).flatMap(([what, value]) =>
            spellings(value)
              .filter((s) => log.includes(s.toLowerCase()))
              .map((s) => `${what}: ${s}`),
          );
          expect(found).toEqual([]);

          const lines = out.lines;
          // the log is not empty, and says what an operator needs
          expect(lines.length).toBeGreaterThan(5);
          expect(lines.filter((l) => l.msg === 'shopcore runtime ready')).toHaveLength(1);
          const accessLines = lines.filter((l) => l.msg === 'incoming request');
          if (level === 'debug') {
            expect(accessLines.length).toBeGreaterThanOrEqual(25);
            expect(lines.filter((l) => l.msg === 'request completed').length).toBeGreaterThanOrEqual(25);
            for (const l of accessLines) expect(l.requestId).toEqual(expect.any(String));
            const reqs = accessLines.map((l) => l.req as Record<string, string>);
            expect(reqs).toContainEqual({
              method: 'GET',
              route: '/api/v1/orders/:id',
              url: `/api/v1/orders/${order.id}?email=[redacted]`,
            });
            expect(reqs).toContainEqual({
              method: 'POST',
              route: '/api/v1/carts/:id/items',
              url: '/api/v1/carts/[redacted]/items',
            });
            expect(reqs).toContainEqual({
              method: 'GET',
              route: 'unmatched',
              url: '/api/v1/cart/[redacted]/[redacted]?email=[redacted]',
            });
            // only method, route and URL: no client address, port, host or headers
            for (const r of reqs) expect(Object.keys(r).sort()).toEqual(['method', 'route', 'url']);
          } else {
            expect(accessLines).toEqual([]);
          }
          // the development secrets in use are announced, by name only
          const warned = lines.filter(
            (l) => typeof l.msg === 'string' && l.msg.startsWith('DEVELOPMENT SECRET IN USE'),
          );
          expect(warned.map((l) => [l.level, l.variable])).toEqual([
            ['warn', 'FAKE_PSP_WEBHOOK_SECRET'],
            ['warn', 'JWT_KEY_ENCRYPTION_KEY'],
          ]);
        });
      });
    }
  },
);
