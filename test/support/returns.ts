import { randomUUID } from 'node:crypto';
import { expect } from 'vitest';
import type { OrderView } from '../../src/orders/contract.js';
import type { TestApp } from './app.js';
import { checkout, readyCart, registerCustomer, uniqueSku } from './checkout.js';
import { shipmentsOf, shipThrough } from './fulfilment.js';
import { json, shopAdmin } from './http.js';
import { pollOrder } from './journey.js';
import { waitUntilQuiet } from './journey-checks.js';
import { pollUntil } from './wait.js';

type Headers = Record<string, string>;

/** A return as docs/product/api.md "Returns" answers it. */
export interface ReturnView {
  id: string;
  orderId: string;
  number: string;
  status: string;
  lines: { sku: string; quantity: number; reason: string; received: number; condition: string | null }[];
  exchange: { sku: string; quantity: number }[];
  refund: { amount: number; currency: string } | null;
  replacementOrderId: string | null;
  history: { status: string; at: string; reason: string | null }[];
  createdAt: string;
}

/**
 * A shop to return goods to, made through the admin API: one product in three sizes (M at `prices.m`,
 * the cheaper S, the dearer L), another product, each stocked in the region's first warehouse only (one
 * parcel per order), and a 10 % coupon.
 */
export const openReturnsShop = async (
  t: TestApp,
  admin: Headers,
  prices = { m: 2000, s: 1800, l: 2500, other: 1000 },
) => {
  const shop = shopAdmin(t, admin);
  const sizes = { m: uniqueSku('COAT-M'), s: uniqueSku('COAT-S'), l: uniqueSku('COAT-L') };
  await shop.createProduct([sizes.m, sizes.s, sizes.l], { name: 'Harbour Coat' });
  const other = uniqueSku('SCARF');
  await shop.createProduct([other], { name: 'Harbour Scarf' });
  await shop.setPrice(sizes.m, prices.m);
  await shop.setPrice(sizes.s, prices.s);
  await shop.setPrice(sizes.l, prices.l);
  await shop.setPrice(other, prices.other);
  for (const sku of [sizes.m, sizes.s, sizes.l, other]) await shop.addStock(sku, 50);
  const warehouses = (
    await t.app.inject({ method: 'GET', url: '/api/v1/admin/warehouses', headers: admin })
  ).json() as {
    id: string;
  }[];
  const coupon = `RET${randomUUID().slice(0, 8).toUpperCase()}`;
  const promo = await t.app.inject({
    method: 'POST',
    url: '/api/v1/admin/promotions',
    ...json({ code: coupon, type: 'percentage', value: 10 }, admin),
  });
  expect(promo.statusCode, promo.body).toBe(201);
  return { sizes, other, warehouseId: warehouses[0]!.id, coupon, prices };
};

/**
 * A customer's order of `lines`, paid with tok_visa, taken through pick, pack, dispatch and — unless
 * `deliver: false` — delivery of every parcel; with the coupon when given. A guest's when `guest`.
 */
export const deliveredOrder = async (
  t: TestApp,
  admin: Headers,
  lines: { sku: string; quantity: number }[],
  opts: { coupon?: string; deliver?: boolean; guest?: boolean } = {},
) => {
  const option = t.config.REGION === 'us' ? 'ground' : 'standard';
  const customer = opts.guest ? null : await registerCustomer(t, 'Returning Shopper');
  const guestEmail = `guest-${randomUUID()}@example.com`;
  const auth = customer?.auth ?? {};
  const cartId = await readyCart(t, {
    lines,
    option,
    ...(customer ? { auth } : { email: guestEmail }),
    ...(opts.coupon ? { coupon: opts.coupon } : {}),
  });
  const placed = await checkout(t, cartId, 'tok_visa', { auth });
  expect(placed.statusCode, placed.body).toBe(201);
  const orderId = placed.json().id as string;
  const shipments = await pollUntil(
    () => shipmentsOf(t, admin, orderId),
    (s) => s.length > 0,
    20_000,
  );
  expect(shipments.length, 'the order’s shipments were created').toBeGreaterThan(0);
  const steps =
    opts.deliver === false ? ['pick', 'pack', 'dispatch'] : ['pick', 'pack', 'dispatch', 'deliver'];
  for (const s of shipments) await shipThrough(t, admin, s.id, steps);
  const owner = customer ? auth : {};
  const query = customer ? '' : `?email=${encodeURIComponent(guestEmail)}`;
  const want = opts.deliver === false ? 'SHIPPED' : 'DELIVERED';
  const order = await pollOrder(
    t,
    `${orderId}${query}`,
    owner,
    (o) => o.status === want,
    `the order reaches ${want}`,
  );
  // every reaction settled — the stock of a dispatch may leave after the order shows the delivery
  // when events come through Kafka — so that stock read next is the order's final word
  await waitUntilQuiet(t);
  return { order: order as OrderView, auth: owner, query, email: customer?.email ?? guestEmail, customer };
};

/** `POST /api/v1/orders/:id/returns` as the owner (headers) or a guest (query `?email=`). */
export const requestReturn = (
  t: TestApp,
  orderId: string,
  body: unknown,
  who: { auth: Headers; query?: string },
) =>
  t.app.inject({
    method: 'POST',
    url: `/api/v1/orders/${orderId}/returns${who.query ?? ''}`,
    ...json(body, who.auth),
  });

/** A staff step on a return (`approve`, `reject`, `receive`), with its body when it has one. */
export const staffStep = (t: TestApp, staff: Headers, returnId: string, step: string, body?: unknown) =>
  body === undefined
    ? t.app.inject({ method: 'POST', url: `/api/v1/admin/returns/${returnId}/${step}`, headers: staff })
    : t.app.inject({
        method: 'POST',
        url: `/api/v1/admin/returns/${returnId}/${step}`,
        ...json(body, staff),
      });

/** The return as staff see it. */
export const adminReturn = async (t: TestApp, staff: Headers, returnId: string): Promise<ReturnView> => {
  const r = await t.app.inject({ method: 'GET', url: `/api/v1/admin/returns/${returnId}`, headers: staff });
  expect(r.statusCode, r.body).toBe(200);
  return r.json() as ReturnView;
};

/** Polls the return (staff view) until `done`; fails with the last view after the deadline. */
export const pollReturn = async (
  t: TestApp,
  staff: Headers,
  returnId: string,
  done: (r: ReturnView) => boolean,
  what: string,
) => {
  const view = await pollUntil(() => adminReturn(t, staff, returnId), done, 20_000);
  expect(done(view), `${what}: ${JSON.stringify(view)}`).toBe(true);
  return view;
};

/** The order's returns as its owner sees them. */
export const returnsOfOrder = async (t: TestApp, orderId: string, who: { auth: Headers; query?: string }) => {
  const r = await t.app.inject({
    method: 'GET',
    url: `/api/v1/orders/${orderId}/returns${who.query ?? ''}`,
    headers: who.auth,
  });
  expect(r.statusCode, r.body).toBe(200);
  const body = r.json() as ReturnView[] | { items: ReturnView[] };
  return Array.isArray(body) ? body : body.items;
};

/** The ledger of a SKU (newest first), as staff see it. */
export const movementsOf = async (t: TestApp, staff: Headers, sku: string) => {
  const r = await t.app.inject({
    method: 'GET',
    url: `/api/v1/admin/inventory/${sku}/movements?limit=100`,
    headers: staff,
  });
  expect(r.statusCode, r.body).toBe(200);
  return r.json().items as { warehouseId: string; delta: number; reason: string }[];
};

/** The outbox rows of returns.events about this order, in commit order. */
export const returnEventsOf = async (t: TestApp, orderId: string) =>
  (
    (await t.runtime.platform.dataSource.query(
      `SELECT type, data FROM outbox WHERE context = 'returns' AND data->>'orderId' = $1 ORDER BY seq`,
      [orderId],
    )) as { type: string; data: Record<string, unknown> }[]
  ).map((r) => ({ type: r.type.split('.')[2], data: r.data }));
