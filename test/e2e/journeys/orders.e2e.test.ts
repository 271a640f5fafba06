import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { NewOrder, OrderSnapshot, OrderStatus } from '../../../src/orders/contract.js';
import { asHandle } from '../../../src/platform/db/typeorm-unit-of-work.js';
import { startTestApp, type TestApp } from '../../support/app.js';
import { bearer, expectProblem, json, loginAs } from '../../support/http.js';
import { newOrder, placeOrder } from '../../support/orders.js';
import { missing } from '../../support/skip.js';
import { nextMillisecond } from '../../support/wait.js';

const ADMIN = { email: 'orders-admin@shop.example', password: 'admin-password-1' };
const system = { kind: 'system' as const };

type Headers = Record<string, string>;
interface Customer {
  id: string;
  email: string;
  auth: Headers;
}

/**
 * The read side of orders through HTTP, as storefronts and staff use it (docs/product/api.md "Orders"): a
 * customer's history, one order for its owner, staff or a guest with its email (everyone else 404),
 * the admin listing with every filter and keyset pagination, and the input each route refuses. Orders
 * are placed through the facade, in a transaction of their own, as checkout will.
 */
describe.skipIf(missing('postgres'))('orders over HTTP', () => {
  let t: TestApp;
  let admin: Headers;
  let manager: Headers;
  let ada: Customer;
  let bob: Customer;
  const adas: OrderSnapshot[] = [];
  let bobs: OrderSnapshot;
  let guest: OrderSnapshot;

  const register = async (name: string): Promise<Customer> => {
    const email = `${name}.${Date.now().toString(36)}@orders.example`;
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/register',
      ...json({ email, password: 'a long password', name }),
    });
    expect(res.statusCode, res.body).toBe(201);
    return { id: res.json().customer.id, email, auth: bearer(res.json().accessToken) };
  };
  const place = async (order: NewOrder) => {
    // distinct creation instants (ms), so that "newest first" is the order of placing
    await nextMillisecond();
    return placeOrder(t.runtime.platform.dataSource, t.runtime.modules.orders.facade, order);
  };
  const move = (orderId: string, ...to: OrderStatus[]) =>
    t.runtime.platform.dataSource.transaction(async (m) => {
      for (const s of to)
        await t.runtime.modules.orders.facade.transition(orderId, s, { actor: system }, asHandle(m));
    });
  const get = (url: string, headers: Headers = {}) => t.app.inject({ method: 'GET', url, headers });

  /** Every page of a listing, following nextCursor; the ids in the order they came. */
  const allPages = async (url: string, headers: Headers, limit: number) => {
    const ids: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const sep = url.includes('?') ? '&' : '?';
      const res = await get(`${url}${sep}limit=${limit}${cursor ? `&cursor=${cursor}` : ''}`, headers);
      expect(res.statusCode, res.body).toBe(200);
      const body = res.json() as { items: { id: string }[]; nextCursor: string | null };
      expect(body.items.length).toBeLessThanOrEqual(limit);
      ids.push(...body.items.map((i) => i.id));
      cursor = body.nextCursor;
      pages++;
    } while (cursor && pages < 100);
    return { ids, pages };
  };

  beforeAll(async () => {
    t = await startTestApp({ ADMIN_EMAIL: ADMIN.email, ADMIN_PASSWORD: ADMIN.password });
    admin = await loginAs(t, ADMIN);
    const staff = {
      email: `picker.${Date.now()}@shop.example`,
      password: 'staff password 1',
      name: 'Picker',
    };
    const created = await t.app.inject({
      method: 'POST',
      url: '/api/v1/admin/staff',
      ...json({ ...staff, roles: ['inventory_manager'] }, admin),
    });
    expect(created.statusCode, created.body).toBe(201);
    manager = await loginAs(t, { email: staff.email, password: staff.password });
    ada = await register('ada');
    bob = await register('bob');
    for (let i = 0; i < 5; i++) adas.push(await place(newOrder({ customerId: ada.id, email: ada.email })));
    bobs = await place(newOrder({ customerId: bob.id, email: bob.email }));
    guest = await place(newOrder({ customerId: null, email: 'Guest.Person@Orders.Example' }));
  });
  afterAll(async () => t?.close());

  describe('GET /api/v1/orders', () => {
    it('lists the caller’s orders, newest first, as docs/product/api.md orders', async () => {
      const res = await get('/api/v1/orders', ada.auth);
      expect(res.statusCode, res.body).toBe(200);
      expect(res.headers['cache-control']).toBe('no-store');
      const body = res.json();
      expect(body.items.map((o: { id: string }) => o.id)).toEqual(adas.map((o) => o.id).reverse());
      expect(body.nextCursor).toBeNull();
      const newest = adas.at(-1)!;
      expect(body.items[0]).toEqual({
        id: newest.id,
        number: newest.number,
        status: 'PAYMENT_PENDING',
        customerId: ada.id,
        email: ada.email,
        currency: 'EUR',
        items: newest.lines.map((l) => ({
          sku: l.sku,
          name: l.name,
          quantity: l.quantity,
          unitPrice: { amount: l.unitPrice, currency: 'EUR' },
          lineTotal: { amount: l.lineTotal, currency: 'EUR' },
        })),
        subtotal: { amount: newest.subtotal, currency: 'EUR' },
        discount: { amount: newest.discount, currency: 'EUR' },
        shipping: { amount: newest.shipping, currency: 'EUR' },
        tax: { amount: newest.tax, currency: 'EUR' },
        total: { amount: newest.total, currency: 'EUR' },
        promotionCode: null,
        shippingAddress: newest.shippingAddress,
        shippingOption: newest.shippingOption,
        payment: null,
        shipments: [],
        returns: [],
        history: [
          { status: 'CREATED', at: newest.createdAt.toISOString(), reason: null },
          { status: 'PAYMENT_PENDING', at: newest.createdAt.toISOString(), reason: null },
        ],
        notes: [],
        createdAt: newest.createdAt.toISOString(),
      });
      expect(newest.number).toMatch(/^EU-[0-9]{6,}$/);
    });

    it('pages through them with nextCursor: every order once, none missed', async () => {
      for (const limit of [1, 2, 3]) {
        const { ids, pages } = await allPages('/api/v1/orders', ada.auth, limit);
        expect(ids).toEqual(adas.map((o) => o.id).reverse());
        expect(pages).toBe(Math.ceil(5 / limit));
      }
      // exactly one page of 5: no empty trailing page
      const five = await get('/api/v1/orders?limit=5', ada.auth);
      expect(five.json().nextCursor).toBeNull();
    });

    it('shows nobody else’s orders, and needs a signed-in caller', async () => {
      const res = await get('/api/v1/orders', bob.auth);
      expect(res.json().items.map((o: { id: string }) => o.id)).toEqual([bobs.id]);
      expect((await get('/api/v1/orders', admin)).json().items).toEqual([]);
      expectProblem(await get('/api/v1/orders'), 401, 'UNAUTHENTICATED');
      expectProblem(await get('/api/v1/orders', bearer('not-a-token')), 401, 'UNAUTHENTICATED');
    });

    it('refuses a bad limit or cursor with 400 naming the field', async () => {
      for (const bad of ['0', '101', '0x10', '1e1', '', '-1', 'ten']) {
        expectProblem(await get(`/api/v1/orders?limit=${bad}`, ada.auth), 400, 'VALIDATION_FAILED', [
          'query.limit',
        ]);
      }
      const page = (await get('/api/v1/orders?limit=2', ada.auth)).json();
      const raw = Buffer.from(page.nextCursor, 'base64url').toString('utf8');
      const tampered = [
        'not a cursor!',
        `${page.nextCursor.slice(0, -2)}`,
        Buffer.from(raw.replace('o1:', 'o2:')).toString('base64url'),
        Buffer.from(raw.replace(/\|.*/, '|not-a-uuid')).toString('base64url'),
        Buffer.from(raw.replace(/T\d\d/, 'T25')).toString('base64url'),
      ];
      for (const cursor of tampered) {
        expectProblem(
          await get(`/api/v1/orders?cursor=${encodeURIComponent(cursor)}`, ada.auth),
          400,
          'VALIDATION_FAILED',
          ['query.cursor'],
        );
      }
      expectProblem(await get('/api/v1/orders?status=CONFIRMED', ada.auth), 400, 'VALIDATION_FAILED');
    });
  });

  describe('GET /api/v1/orders/:id', () => {
    it('answers the owner, admins and inventory managers', async () => {
      const order = adas[0]!;
      for (const who of [ada.auth, admin, manager]) {
        const res = await get(`/api/v1/orders/${order.id}`, who);
        expect(res.statusCode, res.body).toBe(200);
        expect(res.json()).toMatchObject({ id: order.id, number: order.number, email: ada.email });
        expect(res.headers['cache-control']).toBe('no-store');
      }
    });

    it('is 404 for another customer and for anonymous callers, as for an order that does not exist', async () => {
      const unknown = await get(`/api/v1/orders/${crypto.randomUUID()}`, ada.auth);
      const body = expectProblem(unknown, 404, 'NOT_FOUND');
      for (const res of [
        await get(`/api/v1/orders/${adas[0]!.id}`, bob.auth),
        await get(`/api/v1/orders/${adas[0]!.id}`),
        // the owner's email does not open a customer's order: only guest orders go by email
        await get(`/api/v1/orders/${adas[0]!.id}?email=${encodeURIComponent(ada.email)}`),
        await get(`/api/v1/orders/${adas[0]!.id}?email=${encodeURIComponent(ada.email)}`, bob.auth),
      ]) {
        expect(expectProblem(res, 404, 'NOT_FOUND').detail).toBe(body.detail);
      }
    });

    it('opens a guest order with its email (any case); a wrong or missing email is 404', async () => {
      const url = `/api/v1/orders/${guest.id}`;
      for (const email of ['guest.person@orders.example', 'GUEST.PERSON@ORDERS.EXAMPLE']) {
        const res = await get(`${url}?email=${encodeURIComponent(email)}`);
        expect(res.statusCode, res.body).toBe(200);
        expect(res.json()).toMatchObject({
          id: guest.id,
          customerId: null,
          email: 'guest.person@orders.example',
        });
      }
      // a signed-in customer with the email may look too (the email is what proves it)
      expect((await get(`${url}?email=guest.person@orders.example`, bob.auth)).statusCode).toBe(200);
      expectProblem(await get(url), 404, 'NOT_FOUND');
      expectProblem(await get(url, ada.auth), 404, 'NOT_FOUND');
      expectProblem(await get(`${url}?email=someone.else@orders.example`), 404, 'NOT_FOUND');
      expect((await get(url, manager)).statusCode).toBe(200);
    });

    it('refuses a malformed id, email or unknown parameter with 400 naming it; a bad token is 401', async () => {
      expectProblem(await get('/api/v1/orders/not-a-uuid', ada.auth), 400, 'VALIDATION_FAILED', [
        'params.id',
      ]);
      expectProblem(await get(`/api/v1/orders/${guest.id}?email=nope`), 400, 'VALIDATION_FAILED', [
        'query.email',
      ]);
      expectProblem(await get(`/api/v1/orders/${guest.id}?mail=x@y.example`), 400, 'VALIDATION_FAILED');
      expectProblem(await get(`/api/v1/orders/${guest.id}`, bearer('not-a-token')), 401, 'UNAUTHENTICATED');
    });
  });

  describe('GET /api/v1/admin/orders', () => {
    const list = async (query: string) => {
      const res = await get(`/api/v1/admin/orders?${query}`, admin);
      expect(res.statusCode, res.body).toBe(200);
      expect(res.headers['cache-control']).toBe('no-store');
      return res.json() as {
        items: { id: string; status: string; customerId: string | null; createdAt: string }[];
      };
    };

    it('is for admins only', async () => {
      expectProblem(await get('/api/v1/admin/orders'), 401, 'UNAUTHENTICATED');
      expectProblem(await get('/api/v1/admin/orders', ada.auth), 403, 'FORBIDDEN');
      expectProblem(await get('/api/v1/admin/orders', manager), 403, 'FORBIDDEN');
    });

    it('lists every order newest first, and pages through them without duplicates or gaps', async () => {
      const everyone = [...adas, bobs, guest].map((o) => o.id).reverse();
      expect((await list('limit=100')).items.map((o) => o.id)).toEqual(everyone);
      for (const limit of [1, 3, 4]) {
        const { ids } = await allPages('/api/v1/admin/orders', admin, limit);
        expect(ids).toEqual(everyone);
      }
    });

    it('filters by status', async () => {
      await move(adas[1]!.id, 'PAYMENT_AUTHORIZED', 'CONFIRMED');
      await move(adas[3]!.id, 'CANCELLED');
      expect((await list('status=CONFIRMED')).items.map((o) => o.id)).toEqual([adas[1]!.id]);
      expect((await list('status=CANCELLED')).items.map((o) => o.id)).toEqual([adas[3]!.id]);
      expect((await list('status=SHIPPED')).items).toEqual([]);
      const pending = (await list('status=PAYMENT_PENDING&limit=100')).items;
      expect(pending.every((o) => o.status === 'PAYMENT_PENDING')).toBe(true);
      expect(pending.map((o) => o.id)).toEqual(
        [adas[0], adas[2], adas[4], bobs, guest].map((o) => o!.id).reverse(),
      );
    });

    it('filters by customer, paginated', async () => {
      expect((await list(`customerId=${bob.id}`)).items.map((o) => o.id)).toEqual([bobs.id]);
      const { ids } = await allPages(`/api/v1/admin/orders?customerId=${ada.id}`, admin, 2);
      expect(ids).toEqual(adas.map((o) => o.id).reverse());
      expect((await list(`customerId=${crypto.randomUUID()}`)).items).toEqual([]);
    });

    it('filters by creation window: from inclusive, to exclusive, with any offset', async () => {
      const from = adas[1]!.createdAt;
      const to = adas[4]!.createdAt;
      const window = (await list(`from=${from.toISOString()}&to=${to.toISOString()}`)).items.map((o) => o.id);
      expect(window).toEqual([adas[3]!.id, adas[2]!.id, adas[1]!.id]);
      // the same instants written with an offset
      const offset = (d: Date) =>
        encodeURIComponent(new Date(d.getTime() + 3_600_000).toISOString().replace('Z', '+01:00'));
      expect((await list(`from=${offset(from)}&to=${offset(to)}`)).items.map((o) => o.id)).toEqual(window);
      expect((await list(`from=${guest.createdAt.toISOString()}`)).items.map((o) => o.id)).toEqual([
        guest.id,
      ]);
      expect((await list(`to=${adas[0]!.createdAt.toISOString()}`)).items).toEqual([]);
      // every filter at once
      expect(
        (
          await list(
            `status=PAYMENT_PENDING&customerId=${ada.id}&from=${from.toISOString()}&to=${to.toISOString()}`,
          )
        ).items.map((o) => o.id),
      ).toEqual([adas[2]!.id]);
      // an empty window is no error
      expect((await list(`from=${from.toISOString()}&to=${from.toISOString()}`)).items).toEqual([]);
    });

    it('refuses every bad filter with 400 naming each field', async () => {
      const cases: [string, string[]][] = [
        ['status=SOMETHING', ['query.status']],
        ['status=confirmed', ['query.status']],
        ['customerId=not-a-uuid', ['query.customerId']],
        ['from=yesterday', ['query.from']],
        ['from=2026-03-01', ['query.from']],
        ['from=2026-03-01T12:00:00', ['query.from']],
        ['from=2026-02-30T00:00:00Z', ['query.from']],
        ['to=2026-03-01T24:00:00Z', ['query.to']],
        ['from=2026-03-02T00:00:00Z&to=2026-03-01T00:00:00Z', ['query.to']],
        // one valid and one invalid, or both invalid: each invalid one named (was a 500: the
        // from-before-to check read the failed field's raw string as a Date)
        ['from=2020-01-01T00:00:00Z&to=x', ['query.to']],
        ['from=x&to=2020-01-01T00:00:00Z', ['query.from']],
        ['from=x&to=y', ['query.from', 'query.to']],
        ['from=2026-02-29T00:00:00Z&to=2026-02-30T00:00:00Z', ['query.from', 'query.to']],
        ['from=2026-03-02T00:00:00Z&to=2026-03-01T00:00:00Z&limit=0', ['query.to', 'query.limit']],
        ['limit=0', ['query.limit']],
        ['cursor=%21%21', ['query.cursor']],
        [
          'status=NOPE&customerId=x&from=x&to=y&limit=500',
          ['query.status', 'query.customerId', 'query.from', 'query.to', 'query.limit'],
        ],
      ];
      for (const [query, paths] of cases) {
        const body = expectProblem(
          await get(`/api/v1/admin/orders?${query}`, admin),
          400,
          'VALIDATION_FAILED',
          paths,
        );
        expect(body.errors!.map((e) => e.path).sort(), query).toEqual([...paths].sort());
      }
      expectProblem(await get('/api/v1/admin/orders?sort=newest', admin), 400, 'VALIDATION_FAILED');
    });
  });

  describe('GET /api/v1/admin/orders/:id', () => {
    it('answers admins with any order (guest orders too); 404 unknown; 403 for others', async () => {
      for (const order of [adas[0]!, guest]) {
        const res = await get(`/api/v1/admin/orders/${order.id}`, admin);
        expect(res.statusCode, res.body).toBe(200);
        expect(res.json()).toMatchObject({ id: order.id, number: order.number });
      }
      expectProblem(await get(`/api/v1/admin/orders/${crypto.randomUUID()}`, admin), 404, 'NOT_FOUND');
      expectProblem(await get('/api/v1/admin/orders/nope', admin), 400, 'VALIDATION_FAILED', ['params.id']);
      expectProblem(await get(`/api/v1/admin/orders/${adas[0]!.id}`, ada.auth), 403, 'FORBIDDEN');
      expectProblem(await get(`/api/v1/admin/orders/${adas[0]!.id}`, manager), 403, 'FORBIDDEN');
      expectProblem(await get(`/api/v1/admin/orders/${adas[0]!.id}`), 401, 'UNAUTHENTICATED');
    });

    it('shows the history of every move, with reasons', async () => {
      const res = await get(`/api/v1/admin/orders/${adas[3]!.id}`, admin);
      expect(res.json().status).toBe('CANCELLED');
      expect(res.json().history.map((h: { status: string }) => h.status)).toEqual([
        'CREATED',
        'PAYMENT_PENDING',
        'CANCELLED',
      ]);
    });
  });

  it('counts placed, confirmed and cancelled orders in /metrics', async () => {
    const text = (await get('/metrics')).body;
    const value = (event: string) =>
      Number(new RegExp(`^orders_total\\{event="${event}"\\} (\\d+)`, 'm').exec(text)?.[1] ?? 'NaN');
    expect(value('placed')).toBe(7);
    expect(value('confirmed')).toBe(1);
    expect(value('cancelled')).toBe(1);
    expect(value('shipped')).toBe(0);
  });
});
