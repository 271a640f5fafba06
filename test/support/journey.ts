import { randomUUID } from 'node:crypto';
import { expect } from 'vitest';
import type { OrderView } from '../../src/orders/contract.js';
import type { TestApp } from './app.js';
import { ADDRESS, registerCustomer, uniqueSku } from './checkout.js';
import { json, loginAs, shopAdmin } from './http.js';
import { pollUntil } from './wait.js';

type Headers = Record<string, string>;

export interface JourneyShop {
  admin: Headers;
  slug: string;
  category: string;
  /** one SKU stocked only in the first warehouse, one only in the second: two shipments */
  skus: [string, string];
  warehouses: [string, string];
  coupon: string;
}

export interface JourneyResult {
  orderId: string;
  orderNumber: string;
  customer: { id: string; email: string; auth: Headers };
  shipmentIds: string[];
  trackingNumbers: string[];
  total: number;
}

const get = async (t: TestApp, url: string, headers: Headers = {}) => {
  const r = await t.app.inject({ method: 'GET', url, headers });
  expect(r.statusCode, `${url}: ${r.body}`).toBe(200);
  return r.json();
};

const post = async (t: TestApp, url: string, headers: Headers, body?: unknown, status = 200) => {
  const r =
    body === undefined
      ? await t.app.inject({ method: 'POST', url, headers })
      : await t.app.inject({ method: 'POST', url, ...json(body, headers) });
  expect(r.statusCode, `${url}: ${r.body}`).toBe(status);
  return r.json();
};

/**
 * The shop a journey buys from, made through the admin API: a product with two variants, one stocked
 * only in the region's first warehouse and one only in its second (so an order of both ships in two
 * parcels), their prices, and a 10 % coupon.
 */
export const openJourneyShop = async (
  t: TestApp,
  adminLogin: { email: string; password: string },
): Promise<JourneyShop> => {
  const admin = await loginAs(t, adminLogin);
  const shop = shopAdmin(t, admin);
  const skus: [string, string] = [uniqueSku('LANTERN-A'), uniqueSku('LANTERN-B')];
  await shop.createProduct(skus, { name: 'Harbour Lantern', description: 'A brass storm lantern' });
  const product = (await get(t, '/api/v1/products?q=Harbour%20Lantern', {})).items?.[0];
  const slug = product?.slug as string;
  expect(slug).toBeTruthy();
  const category = product.category as string;
  await shop.setPrice(skus[0], 2500);
  await shop.setPrice(skus[1], 1200);
  const warehouses = ((await get(t, '/api/v1/admin/warehouses', admin)) as { id: string }[]).map((w) => w.id);
  expect(warehouses.length).toBeGreaterThanOrEqual(2);
  for (const [i, sku] of skus.entries()) {
    await post(
      t,
      '/api/v1/admin/inventory/adjustments',
      admin,
      { sku, warehouseId: warehouses[i], delta: 5, reason: 'journey stock' },
      201,
    );
  }
  const coupon = `JOURNEY${randomUUID().slice(0, 8).toUpperCase()}`;
  await post(t, '/api/v1/admin/promotions', admin, { code: coupon, type: 'percentage', value: 10 }, 201);
  return { admin, slug, category, skus, warehouses: [warehouses[0]!, warehouses[1]!], coupon };
};

/** Polls the order as its customer sees it until `done`; fails with the last view after the deadline. */
export const pollOrder = async (
  t: TestApp,
  orderId: string,
  headers: Headers,
  done: (order: OrderView) => boolean,
  what: string,
) => {
  const order = await pollUntil(
    async () =>
      (await t.app.inject({ method: 'GET', url: `/api/v1/orders/${orderId}`, headers })).json() as OrderView,
    done,
    20_000,
  );
  expect(done(order), `${what}: ${JSON.stringify(order)}`).toBe(true);
  return order;
};

/** On hand and reserved of a SKU in one warehouse (admin view). */
export const stockIn = async (t: TestApp, admin: Headers, sku: string, warehouseId: string) => {
  const stock = await get(t, `/api/v1/admin/inventory/${sku}`, admin);
  const row = (stock.warehouses as { warehouseId: string; onHand: number; reserved: number }[]).find(
    (w) => w.warehouseId === warehouseId,
  )!;
  return { onHand: row.onHand, reserved: row.reserved };
};

/**
 * The whole journey of ISSUE 9 through HTTP, as a storefront and warehouse staff drive it: register →
 * browse → search (with a typo) → add to cart → coupon → shipping → order (`tok_visa`) → shipments
 * appear (one per warehouse) → pick, pack → dispatch (payment captured, order SHIPPED, tracking
 * visible to the customer, stock gone from the warehouse) → deliver (order DELIVERED). Every
 * asynchronous step is awaited by polling with a deadline.
 */
export const runJourney = async (t: TestApp, shop: JourneyShop): Promise<JourneyResult> => {
  const { admin, skus, warehouses } = shop;
  // register
  const customer = await registerCustomer(t, 'Journey Shopper');
  const me = customer.auth;

  // browse the category, search with a typo, open the product
  const browsed = await get(t, `/api/v1/products?category=${shop.category}`);
  expect(browsed.items.map((p: { slug: string }) => p.slug)).toContain(shop.slug);
  const found = await get(t, '/api/v1/products?q=lantren');
  expect(found.items.map((p: { slug: string }) => p.slug)).toContain(shop.slug);
  const detail = await get(t, `/api/v1/products/${shop.slug}`);
  expect(detail.variants.map((v: { sku: string }) => v.sku).sort()).toEqual([...skus].sort());

  // cart: two lines, a coupon, shipping
  const cart = await post(t, '/api/v1/carts', me, undefined, 201);
  await post(t, `/api/v1/carts/${cart.id}/items`, me, { sku: skus[0], quantity: 2 });
  await post(t, `/api/v1/carts/${cart.id}/items`, me, { sku: skus[1], quantity: 1 });
  const discounted = await post(t, `/api/v1/carts/${cart.id}/promotion`, me, { code: shop.coupon });
  expect(discounted.discount.amount).toBe(620);
  const shipping = await t.app.inject({
    method: 'PUT',
    url: `/api/v1/carts/${cart.id}/shipping`,
    ...json({ address: ADDRESS, option: 'standard' }, me),
  });
  expect(shipping.statusCode, shipping.body).toBe(200);

  // order, paid with tok_visa
  const placed = await post(
    t,
    '/api/v1/orders',
    { ...me, 'idempotency-key': randomUUID() },
    { cartId: cart.id, payment: { token: 'tok_visa' } },
    201,
  );
  expect(placed.status).toBe('CONFIRMED');
  const orderId = placed.id as string;
  const total = placed.total.amount as number;

  // shipments appear: one per warehouse of the allocation
  type ShipmentJson = {
    id: string;
    status: string;
    warehouseId: string;
    lines: { sku: string; quantity: number }[];
  };
  const listed = await pollUntil(
    async () => (await get(t, `/api/v1/admin/shipments?orderId=${orderId}`, admin)).items as ShipmentJson[],
    (items) => items.length === 2,
    20_000,
  );
  expect(listed).toHaveLength(2);
  const shipments = [...listed].sort((a, b) =>
    warehouses.indexOf(a.warehouseId) < warehouses.indexOf(b.warehouseId) ? -1 : 1,
  );
  expect(shipments.map((s) => s.status)).toEqual(['pending', 'pending']);
  expect(shipments.map((s) => s.warehouseId)).toEqual(warehouses);
  expect(shipments[0]!.lines).toEqual([{ sku: skus[0], quantity: 2 }]);
  expect(shipments[1]!.lines).toEqual([{ sku: skus[1], quantity: 1 }]);
  const seen = await pollOrder(
    t,
    orderId,
    me,
    (o) => o.shipments.length === 2,
    'the customer sees the shipments',
  );
  expect(seen.shipments.every((s) => s.trackingNumber === null)).toBe(true);

  // pick and pack both: the order is being processed
  for (const s of shipments) {
    expect((await post(t, `/api/v1/admin/shipments/${s.id}/pick`, admin)).status).toBe('picked');
    expect((await post(t, `/api/v1/admin/shipments/${s.id}/pack`, admin)).status).toBe('packed');
  }
  await pollOrder(t, orderId, me, (o) => o.status === 'PROCESSING', 'the order is PROCESSING');

  // the first dispatch: tracking number, capture, SHIPPED; the stock leaves the first warehouse
  const first = await post(t, `/api/v1/admin/shipments/${shipments[0]!.id}/dispatch`, admin);
  expect(first.status).toBe('dispatched');
  expect(first.trackingNumber).toMatch(/^FK[0-9]{12}$/);
  const shipped = await pollOrder(
    t,
    orderId,
    me,
    (o) => o.status === 'SHIPPED' && o.payment?.status === 'CAPTURED',
    'the order is SHIPPED and its payment CAPTURED',
  );
  expect(shipped.payment?.captured).toEqual({ amount: total, currency: placed.currency });
  expect(shipped.shipments.find((s) => s.id === first.id)?.trackingNumber).toBe(first.trackingNumber);
  const leftFirst = await pollUntil(
    () => stockIn(t, admin, skus[0], warehouses[0]),
    (s) => s.onHand === 3,
    20_000,
  );
  expect(leftFirst).toEqual({ onHand: 3, reserved: 0 });
  const ledger = await get(t, `/api/v1/admin/inventory/${skus[0]}/movements`, admin);
  expect(ledger.items[0]).toMatchObject({
    kind: 'shipment',
    delta: -2,
    reservedDelta: -2,
    orderId,
    warehouseId: warehouses[0],
    onHandAfter: 3,
    reservedAfter: 0,
  });

  // once a parcel left, the order can no longer be cancelled
  const cancel = await t.app.inject({ method: 'POST', url: `/api/v1/orders/${orderId}/cancel`, headers: me });
  expect(cancel.statusCode, cancel.body).toBe(409);
  expect(cancel.json().code).toBe('ILLEGAL_STATE_TRANSITION');

  // the second dispatch, then both delivered: DELIVERED
  const second = await post(t, `/api/v1/admin/shipments/${shipments[1]!.id}/dispatch`, admin);
  expect(second.trackingNumber).toMatch(/^FK[0-9]{12}$/);
  expect(second.trackingNumber).not.toBe(first.trackingNumber);
  await pollUntil(
    () => stockIn(t, admin, skus[1], warehouses[1]),
    (s) => s.onHand === 4,
    20_000,
  );
  for (const s of shipments) {
    expect((await post(t, `/api/v1/admin/shipments/${s.id}/deliver`, admin)).status).toBe('delivered');
  }
  const delivered = await pollOrder(
    t,
    orderId,
    me,
    (o) => o.status === 'DELIVERED',
    'the order is DELIVERED',
  );
  expect(delivered.shipments.map((s) => s.status)).toEqual(['delivered', 'delivered']);
  expect(delivered.shipments.map((s) => s.trackingNumber).sort()).toEqual(
    [first.trackingNumber, second.trackingNumber].sort(),
  );
  expect(delivered.history.map((h) => h.status)).toEqual(
    expect.arrayContaining(['CONFIRMED', 'PROCESSING', 'SHIPPED', 'DELIVERED']),
  );
  return {
    orderId,
    orderNumber: placed.number,
    customer,
    shipmentIds: shipments.map((s) => s.id),
    trackingNumbers: [first.trackingNumber, second.trackingNumber],
    total,
  };
};
