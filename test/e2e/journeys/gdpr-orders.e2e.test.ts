import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { asHandle } from '../../../src/platform/db/typeorm-unit-of-work.js';
import { startTestApp, type TestApp } from '../../support/app.js';
import { bearer, json, loginAs } from '../../support/http.js';
import { newOrder, placeOrder } from '../../support/orders.js';
import { missing } from '../../support/skip.js';
import { waitFor } from '../../support/wait.js';

const ADMIN = { email: 'gdpr-orders-admin@shop.example', password: 'admin-password-1' };

/**
 * GDPR and orders: `GET /api/v1/me/export` lists the customer's orders with the personal data they
 * hold; after `DELETE /api/v1/me`, identity's CustomerErased reaches the orders context through the
 * outbox and anonymises them — no email, no address — while numbers, amounts, lines and history stay
 * for accounting. Other customers' and guests' orders are untouched.
 */
describe.skipIf(missing('postgres'))('GDPR: orders are exported, and anonymised on erasure', () => {
  let t: TestApp;
  let admin: Record<string, string>;
  beforeAll(async () => {
    t = await startTestApp({ ADMIN_EMAIL: ADMIN.email, ADMIN_PASSWORD: ADMIN.password });
    admin = await loginAs(t, ADMIN);
  });
  afterAll(async () => t?.close());

  const register = async (name: string) => {
    const email = `${name}.${Date.now().toString(36)}@gdpr.example`;
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/register',
      ...json({ email, password: 'a long password', name }),
    });
    expect(res.statusCode, res.body).toBe(201);
    return { id: res.json().customer.id as string, email, auth: bearer(res.json().accessToken) };
  };
  const place = (order: ReturnType<typeof newOrder>) =>
    placeOrder(t.runtime.platform.dataSource, t.runtime.modules.orders.facade, order);
  const asAdmin = async (orderId: string) => {
    const res = await t.app.inject({ method: 'GET', url: `/api/v1/admin/orders/${orderId}`, headers: admin });
    expect(res.statusCode, res.body).toBe(200);
    return res.json();
  };

  it('exports the customer’s orders, and after DELETE /me keeps them without email or address', async () => {
    const grace = await register('grace');
    const other = await register('other');
    const first = await place(
      newOrder({ customerId: grace.id, email: grace.email, promotionCode: 'SAVE10' }),
    );
    const second = await place(newOrder({ customerId: grace.id, email: grace.email }));
    await t.runtime.platform.dataSource.transaction((m) =>
      t.runtime.modules.orders.facade.transition(
        second.id,
        'CANCELLED',
        { actor: { kind: 'customer', id: grace.id }, reason: 'changed my mind' },
        asHandle(m),
      ),
    );
    const others = await place(newOrder({ customerId: other.id, email: other.email }));
    const guest = await place(newOrder({ customerId: null, email: 'guest@gdpr.example' }));

    const exported = await t.app.inject({ method: 'GET', url: '/api/v1/me/export', headers: grace.auth });
    expect(exported.statusCode, exported.body).toBe(200);
    expect(exported.headers['cache-control']).toBe('no-store');
    const orders = exported.json().orders as Record<string, unknown>[];
    expect(orders.map((o) => o.id)).toEqual([second.id, first.id]);
    expect(orders[1]).toEqual({
      id: first.id,
      number: first.number,
      status: 'PAYMENT_PENDING',
      email: grace.email,
      shippingAddress: first.shippingAddress,
      shippingOption: first.shippingOption,
      currency: 'EUR',
      items: first.lines.map((l) => ({
        sku: l.sku,
        name: l.name,
        quantity: l.quantity,
        unitPrice: l.unitPrice,
        lineTotal: l.lineTotal,
      })),
      subtotal: first.subtotal,
      discount: first.discount,
      shipping: first.shipping,
      tax: first.tax,
      total: first.total,
      promotionCode: 'SAVE10',
      history: [
        { status: 'CREATED', at: first.createdAt.toISOString(), reason: null },
        { status: 'PAYMENT_PENDING', at: first.createdAt.toISOString(), reason: null },
      ],
      notes: [],
      createdAt: first.createdAt.toISOString(),
    });
    expect(orders[0]).toMatchObject({ status: 'CANCELLED', email: grace.email });
    // nobody else's orders in it
    expect(JSON.stringify(orders)).not.toContain(others.id);
    expect(JSON.stringify(orders)).not.toContain(guest.id);

    const before = await Promise.all([first.id, second.id].map(asAdmin));
    const erased = await t.app.inject({ method: 'DELETE', url: '/api/v1/me', headers: grace.auth });
    expect(erased.statusCode, erased.body).toBe(204);
    // CustomerErased reaches the orders context through the outbox (in-process here, Kafka in full mode)
    await waitFor(
      'the orders to be anonymised',
      async () => (await asAdmin(first.id)).email === null,
      10_000,
    );
    const after = await Promise.all([first.id, second.id].map(asAdmin));
    for (const [i, view] of after.entries()) {
      expect(view.email).toBeNull();
      expect(view.shippingAddress).toBeNull();
      // what accounting needs stays: number, status, amounts, lines, history, the (now anonymous) customer id
      expect(view).toEqual({ ...before[i], email: null, shippingAddress: null });
    }
    const rows: { email: string | null; shipping_address: unknown; erased_at: Date | null }[] =
      await t.runtime.platform.dataSource.query(
        'SELECT email, shipping_address, erased_at FROM orders_orders WHERE customer_id = $1',
        [grace.id],
      );
    expect(rows).toHaveLength(2);
    for (const r of rows)
      expect(r).toMatchObject({ email: null, shipping_address: null, erased_at: expect.any(Date) });

    // other customers' and guests' orders keep their personal data
    expect(await asAdmin(others.id)).toMatchObject({
      email: other.email,
      shippingAddress: others.shippingAddress,
    });
    expect(await asAdmin(guest.id)).toMatchObject({ email: 'guest@gdpr.example' });
    // and the erased customer can no longer sign in to read them
    const login = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      ...json({ email: grace.email, password: 'a long password' }),
    });
    expect(login.statusCode).toBe(401);
  });
});
