import { randomUUID } from 'node:crypto';
import { expect } from 'vitest';
import type { TestApp } from './app.js';
import { bearer, json } from './http.js';

export const ADDRESS = {
  name: 'Ada Lovelace',
  line1: '12 Analytical St',
  city: 'London',
  postalCode: 'N1 9GU',
  country: 'GB',
};

let seq = 0;
export const uniqueSku = (prefix: string) => `${prefix}-${Date.now().toString(36)}-${seq++}`.toUpperCase();

/** Registers a customer; returns their id, email and Authorization header. */
export const registerCustomer = async (t: TestApp, name = 'Shopper') => {
  const email = `shopper-${Date.now()}-${seq++}@example.com`;
  const r = await t.app.inject({
    method: 'POST',
    url: '/api/v1/auth/register',
    ...json({ email, password: 'correct horse battery', name }),
  });
  expect(r.statusCode, r.body).toBe(201);
  return { id: r.json().customer.id as string, email, auth: bearer(r.json().accessToken as string) };
};

/**
 * A cart ready to order: lines, shipping address and option, and — for a guest — an email; a coupon
 * when given. `auth` makes it the customer's cart.
 */
export const readyCart = async (
  t: TestApp,
  opts: {
    lines: { sku: string; quantity: number }[];
    auth?: Record<string, string>;
    email?: string;
    coupon?: string;
    option?: string;
  },
): Promise<string> => {
  const headers = opts.auth ?? {};
  const created = await t.app.inject({ method: 'POST', url: '/api/v1/carts', headers });
  expect(created.statusCode, created.body).toBe(201);
  const id = created.json().id as string;
  for (const line of opts.lines) {
    const r = await t.app.inject({
      method: 'POST',
      url: `/api/v1/carts/${id}/items`,
      ...json(line, headers),
    });
    expect(r.statusCode, r.body).toBe(200);
  }
  const shipping = await t.app.inject({
    method: 'PUT',
    url: `/api/v1/carts/${id}/shipping`,
    ...json({ address: ADDRESS, option: opts.option ?? 'standard' }, headers),
  });
  expect(shipping.statusCode, shipping.body).toBe(200);
  if (!opts.auth) {
    const email = await t.app.inject({
      method: 'PUT',
      url: `/api/v1/carts/${id}/email`,
      ...json({ email: opts.email ?? `guest-${randomUUID()}@example.com` }),
    });
    expect(email.statusCode, email.body).toBe(200);
  }
  if (opts.coupon) {
    const r = await t.app.inject({
      method: 'POST',
      url: `/api/v1/carts/${id}/promotion`,
      ...json({ code: opts.coupon }, headers),
    });
    expect(r.statusCode, r.body).toBe(200);
  }
  return id;
};

/** `POST /api/v1/orders` with a fresh (or given) Idempotency-Key. */
export const checkout = (
  t: TestApp,
  cartId: string,
  token: string,
  opts: { auth?: Record<string, string>; key?: string } = {},
) =>
  t.app.inject({
    method: 'POST',
    url: '/api/v1/orders',
    ...json(
      { cartId, payment: { token } },
      { ...(opts.auth ?? {}), 'idempotency-key': opts.key ?? randomUUID() },
    ),
  });

/**
 * The outbox rows (type, subject, data) that mention this order id, in commit order. Fulfilment's
 * events follow a confirmation on their own time (its consumer creates the shipments), so they are
 * left out unless `withFulfilment`.
 */
export const eventsOfOrder = async (t: TestApp, orderId: string, opts: { withFulfilment?: boolean } = {}) => {
  const rows: { type: string; subject: string; data: Record<string, unknown> }[] =
    await t.runtime.platform.dataSource.query(
      `SELECT type, subject, data FROM outbox
       WHERE data->>'orderId' = $1 AND ($2 OR context <> 'fulfilment') ORDER BY seq`,
      [orderId, opts.withFulfilment ?? false],
    );
  return rows;
};

/** A new customer's confirmed order of one unit of `sku`, paid with tok_visa; its id and the customer's header. */
export const customerOrder = async (t: TestApp, sku: string) => {
  const customer = await registerCustomer(t);
  const cartId = await readyCart(t, { lines: [{ sku, quantity: 1 }], auth: customer.auth });
  const r = await checkout(t, cartId, 'tok_visa', { auth: customer.auth });
  expect(r.statusCode, r.body).toBe(201);
  return { id: r.json().id as string, auth: customer.auth };
};
