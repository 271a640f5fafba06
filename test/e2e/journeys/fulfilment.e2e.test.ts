import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeCarrier } from '../../../src/fulfilment/fulfilment.plugin.js';
import type { OrderView } from '../../../src/orders/contract.js';
import type { FakePaymentProvider } from '../../../src/payments/adapters/providers/fake.payment-provider.js';
import { startTestApp, type TestApp } from '../../support/app.js';
import { checkout, eventsOfOrder, readyCart, registerCustomer, uniqueSku } from '../../support/checkout.js';
import { expectProblem, json, loginAs, shopAdmin } from '../../support/http.js';
import { missing } from '../../support/skip.js';
import { pollUntil } from '../../support/wait.js';

const ADMIN = { email: 'fulfilment-admin@shop.example', password: 'admin-password-1' };
const MANAGER = { email: 'fulfilment-keeper@shop.example', password: 'keeper-password-1' };

interface ShipmentJson {
  id: string;
  orderId: string;
  orderNumber: string;
  status: string;
  warehouseId: string;
  lines: { sku: string; quantity: number }[];
  carrier: string | null;
  trackingNumber: string | null;
  history: { status: string; at: string; reason: string | null }[];
  notes: { at: string; text: string }[];
}

describe.skipIf(missing('postgres'))('fulfilment: shipments through the staff API', () => {
  let t: TestApp;
  let admin: Record<string, string>;
  let manager: Record<string, string>;
  let shop: ReturnType<typeof shopAdmin>;
  const carrier = new FakeCarrier();
  let provider: FakePaymentProvider;

  beforeAll(async () => {
    t = await startTestApp(
      { ADMIN_EMAIL: ADMIN.email, ADMIN_PASSWORD: ADMIN.password },
      {
        contexts: {
          fulfilment: { carrier, carrierResilience: { maxAttempts: 2, baseDelayMs: 5, maxDelayMs: 10 } },
          // the payments worker looks every 100 ms and takes over a failed capture at once
          payments: {
            resilience: { maxAttempts: 1, halfOpenAfterMs: 100, breakerThreshold: 100 },
            settleIntervalMs: 100,
            settleAfterMs: 0,
          },
        },
      },
    );
    admin = await loginAs(t, ADMIN);
    const staff = await t.app.inject({
      method: 'POST',
      url: '/api/v1/admin/staff',
      ...json({ ...MANAGER, name: 'Warehouse Keeper', roles: ['inventory_manager'] }, admin),
    });
    expect(staff.statusCode, staff.body).toBe(201);
    manager = await loginAs(t, MANAGER);
    shop = shopAdmin(t, admin);
    provider = t.runtime.modules.payments.provider as FakePaymentProvider;
  });
  afterAll(async () => t?.close());

  const product = async () => {
    const sku = uniqueSku('FUL');
    await shop.createProduct([sku], { name: 'Fulfilment thing' });
    await shop.setPrice(sku, 1500);
    await shop.addStock(sku, 50);
    return sku;
  };
  /** A confirmed order (a customer's, or a guest's with `email`) and its one shipment once it appears. */
  const confirmedOrder = async (opts: { email?: string; quantity?: number } = {}) => {
    const sku = await product();
    const customer = opts.email ? undefined : await registerCustomer(t);
    const cartId = await readyCart(t, {
      lines: [{ sku, quantity: opts.quantity ?? 2 }],
      ...(customer ? { auth: customer.auth } : {}),
      ...(opts.email ? { email: opts.email } : {}),
    });
    const placed = await checkout(t, cartId, 'tok_visa', customer ? { auth: customer.auth } : {});
    expect(placed.statusCode, placed.body).toBe(201);
    const orderId = placed.json().id as string;
    const [shipment] = await pollUntil(
      () => list(`?orderId=${orderId}`),
      (items) => items.length === 1,
      15_000,
    );
    expect(shipment, 'the shipment appeared').toBeDefined();
    return { sku, orderId, shipment: shipment!, customer };
  };
  const list = async (query = '', headers = admin) => {
    const r = await t.app.inject({ method: 'GET', url: `/api/v1/admin/shipments${query}`, headers });
    expect(r.statusCode, r.body).toBe(200);
    return r.json().items as ShipmentJson[];
  };
  const step = (id: string, name: string, headers = admin) =>
    t.app.inject({ method: 'POST', url: `/api/v1/admin/shipments/${id}/${name}`, headers });
  const ok = async (id: string, name: string, headers = admin) => {
    const r = await step(id, name, headers);
    expect(r.statusCode, r.body).toBe(200);
    return r.json() as ShipmentJson;
  };
  const adminOrder = async (orderId: string) =>
    (
      await t.app.inject({ method: 'GET', url: `/api/v1/admin/orders/${orderId}`, headers: admin })
    ).json() as OrderView;

  it('creates one pending shipment per warehouse of a confirmed order, with its lines and ShipmentCreated', async () => {
    const { orderId, shipment, sku } = await confirmedOrder({ quantity: 3 });
    expect(shipment).toMatchObject({
      orderId,
      status: 'pending',
      lines: [{ sku, quantity: 3 }],
      carrier: null,
      trackingNumber: null,
      history: [{ status: 'pending', reason: null }],
    });
    expect(shipment.orderNumber).toMatch(/^EU-[0-9]{6,}$/);
    const types = (await eventsOfOrder(t, orderId, { withFulfilment: true })).map((e) => e.type);
    expect(types).toContain('shopcore.fulfilment.ShipmentCreated.v1');
  });

  it('moves a shipment only one step at a time: every other step is 409 ILLEGAL_STATE_TRANSITION and changes nothing', async () => {
    const { shipment } = await confirmedOrder();
    for (const illegal of ['pack', 'dispatch', 'deliver']) {
      expectProblem(await step(shipment.id, illegal), 409, 'ILLEGAL_STATE_TRANSITION');
    }
    await ok(shipment.id, 'pick', manager);
    expectProblem(await step(shipment.id, 'pick'), 409, 'ILLEGAL_STATE_TRANSITION');
    expectProblem(await step(shipment.id, 'deliver'), 409, 'ILLEGAL_STATE_TRANSITION');
    const packed = await ok(shipment.id, 'pack', manager);
    expect(packed.history.map((h) => h.status)).toEqual(['pending', 'picked', 'packed']);
    const dispatched = await ok(shipment.id, 'dispatch', manager);
    expect(dispatched).toMatchObject({ status: 'dispatched', carrier: 'fake' });
    expect(dispatched.trackingNumber).toMatch(/^FK[0-9]{12}$/);
    expectProblem(await step(shipment.id, 'dispatch'), 409, 'ILLEGAL_STATE_TRANSITION');
    expectProblem(await step(shipment.id, 'pick'), 409, 'ILLEGAL_STATE_TRANSITION');
    const delivered = await ok(shipment.id, 'deliver', manager);
    expect(delivered.history.map((h) => h.status)).toEqual([
      'pending',
      'picked',
      'packed',
      'dispatched',
      'delivered',
    ]);
    for (const any of ['pick', 'pack', 'dispatch', 'deliver']) {
      expectProblem(await step(shipment.id, any), 409, 'ILLEGAL_STATE_TRANSITION');
    }
  });

  it('is for staff: anonymous 401, customers 403, unknown shipments 404, bad ids and filters 400', async () => {
    const { shipment, customer } = await confirmedOrder();
    const own = customer!.auth;
    expectProblem(
      await t.app.inject({ method: 'GET', url: '/api/v1/admin/shipments' }),
      401,
      'UNAUTHENTICATED',
    );
    expectProblem(
      await t.app.inject({ method: 'GET', url: '/api/v1/admin/shipments', headers: own }),
      403,
      'FORBIDDEN',
    );
    expectProblem(await step(shipment.id, 'pick', {}), 401, 'UNAUTHENTICATED');
    expectProblem(await step(shipment.id, 'pick', own), 403, 'FORBIDDEN');
    expectProblem(await step('00000000-0000-4000-8000-000000000000', 'pick'), 404, 'NOT_FOUND');
    expectProblem(await step('not-a-uuid', 'pick'), 400, 'VALIDATION_FAILED', ['params.id']);
    expectProblem(
      await t.app.inject({
        method: 'GET',
        url: '/api/v1/admin/shipments/00000000-0000-4000-8000-000000000000',
        headers: admin,
      }),
      404,
      'NOT_FOUND',
    );
    for (const [query, path] of [
      ['?status=lost', 'query.status'],
      ['?orderId=nope', 'query.orderId'],
      ['?limit=0', 'query.limit'],
      ['?limit=0x10', 'query.limit'],
      ['?cursor=bm9wZQ', 'query.cursor'],
      ['?sort=newest', 'query'],
    ] as const) {
      expectProblem(
        await t.app.inject({ method: 'GET', url: `/api/v1/admin/shipments${query}`, headers: admin }),
        400,
        'VALIDATION_FAILED',
        [path],
      );
    }
    // nothing moved
    const one = await t.app.inject({
      method: 'GET',
      url: `/api/v1/admin/shipments/${shipment.id}`,
      headers: manager,
    });
    expect(one.json().status).toBe('pending');
  });

  it('lists oldest first, filtered by status and order, page by page with a cursor', async () => {
    const a = await confirmedOrder();
    const b = await confirmedOrder();
    await ok(b.shipment.id, 'pick');
    const picked = await list('?status=picked&limit=100');
    expect(picked.map((s) => s.id)).toContain(b.shipment.id);
    expect(picked.every((s) => s.status === 'picked')).toBe(true);
    expect((await list(`?orderId=${a.orderId}`)).map((s) => s.id)).toEqual([a.shipment.id]);
    expect(await list(`?orderId=${a.orderId}&status=picked`)).toEqual([]);

    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const r = await t.app.inject({
        method: 'GET',
        url: `/api/v1/admin/shipments?limit=2${cursor ? `&cursor=${cursor}` : ''}`,
        headers: admin,
      });
      expect(r.statusCode, r.body).toBe(200);
      const page = r.json() as { items: ShipmentJson[]; nextCursor: string | null };
      expect(page.items.length).toBeLessThanOrEqual(2);
      seen.push(...page.items.map((s) => s.id));
      cursor = page.nextCursor;
    } while (cursor);
    const all = await list('?limit=100');
    expect(seen).toEqual(all.map((s) => s.id));
    expect(new Set(seen).size).toBe(seen.length);
    expect(seen.indexOf(a.shipment.id)).toBeLessThan(seen.indexOf(b.shipment.id));
  });

  it('cancels the shipments of a cancelled order that have not left, and refuses to move them afterwards', async () => {
    const { orderId, shipment, customer, sku } = await confirmedOrder({ quantity: 4 });
    await ok(shipment.id, 'pick');
    const cancel = await t.app.inject({
      method: 'POST',
      url: `/api/v1/orders/${orderId}/cancel`,
      headers: customer!.auth,
    });
    expect(cancel.statusCode, cancel.body).toBe(200);
    const [cancelled] = await pollUntil(
      () => list(`?orderId=${orderId}`),
      (items) => items[0]?.status === 'cancelled',
      15_000,
    );
    expect(cancelled?.status).toBe('cancelled');
    expect(cancelled?.history.at(-1)?.reason).toBe('cancelled by the customer');
    expectProblem(await step(shipment.id, 'pack'), 409, 'ILLEGAL_STATE_TRANSITION');
    const types = (await eventsOfOrder(t, orderId, { withFulfilment: true })).map((e) => e.type);
    expect(types).toContain('shopcore.fulfilment.ShipmentCancelled.v1');
    // the stock came back: nothing reserved, nothing taken off the shelf
    const stock = (
      await t.app.inject({ method: 'GET', url: `/api/v1/admin/inventory/${sku}`, headers: admin })
    ).json();
    expect(stock.totalAvailable).toBe(50);
  });

  it('refuses a step on a shipment whose order was cancelled before the shipments were cancelled', async () => {
    const { orderId, shipment } = await confirmedOrder();
    // the order is cancelled, and its OrderCancelled not handled yet: the shipment still says pending
    await t.runtime.platform.dataSource.query(
      `UPDATE orders_orders SET status = 'CANCELLED', version = version + 1 WHERE id = $1`,
      [orderId],
    );
    const refused = expectProblem(await step(shipment.id, 'pick'), 409, 'ILLEGAL_STATE_TRANSITION');
    expect(refused.detail).toContain('CANCELLED');
  });

  it('shows the shipments with status and tracking number to the customer, the guest with the email, and staff', async () => {
    const email = `guest-${Date.now()}@fulfilment.example`;
    const guest = await confirmedOrder({ email });
    await ok(guest.shipment.id, 'pick');
    await ok(guest.shipment.id, 'pack');
    const dispatched = await ok(guest.shipment.id, 'dispatch');
    const expected = {
      id: guest.shipment.id,
      status: 'dispatched',
      warehouseId: guest.shipment.warehouseId,
      trackingNumber: dispatched.trackingNumber,
    };
    const asGuest = await t.app.inject({
      method: 'GET',
      url: `/api/v1/orders/${guest.orderId}?email=${encodeURIComponent(email.toUpperCase())}`,
    });
    expect(asGuest.statusCode, asGuest.body).toBe(200);
    expect(asGuest.json().shipments).toEqual([expected]);
    const noEmail = await t.app.inject({ method: 'GET', url: `/api/v1/orders/${guest.orderId}` });
    expect(noEmail.statusCode).toBe(404);
    expect((await adminOrder(guest.orderId)).shipments).toEqual([expected]);

    const owned = await confirmedOrder();
    const asOwner = await t.app.inject({
      method: 'GET',
      url: `/api/v1/orders/${owned.orderId}`,
      headers: owned.customer!.auth,
    });
    expect(asOwner.json().shipments).toEqual([
      {
        id: owned.shipment.id,
        status: 'pending',
        warehouseId: owned.shipment.warehouseId,
        trackingNumber: null,
      },
    ]);
    const list = await t.app.inject({ method: 'GET', url: '/api/v1/orders', headers: owned.customer!.auth });
    expect(list.json().items[0].shipments).toHaveLength(1);
  });

  it('answers 503 when the carrier is down and changes nothing; the same parcel dispatches once it is back', async () => {
    const { shipment, orderId } = await confirmedOrder();
    await ok(shipment.id, 'pick');
    await ok(shipment.id, 'pack');
    carrier.setOutage(true);
    try {
      const down = expectProblem(await step(shipment.id, 'dispatch'), 503, 'UNAVAILABLE');
      expect(down.detail).toContain('carrier');
    } finally {
      carrier.setOutage(false);
    }
    const still = (await list(`?orderId=${orderId}`))[0]!;
    expect(still).toMatchObject({ status: 'packed', trackingNumber: null });
    const order = await adminOrder(orderId);
    expect(order.status).not.toBe('SHIPPED');
    expect(order.payment?.status).toBe('AUTHORIZED');
    expect((await ok(shipment.id, 'dispatch')).status).toBe('dispatched');
  });

  it('refuses to dispatch a parcel whose address was erased with its customer (409), and books no carrier', async () => {
    const { orderId, shipment, customer } = await confirmedOrder();
    await ok(shipment.id, 'pick');
    await ok(shipment.id, 'pack');
    const erase = await t.app.inject({ method: 'DELETE', url: '/api/v1/me', headers: customer!.auth });
    expect(erase.statusCode, erase.body).toBe(204);
    await pollUntil(
      () => adminOrder(orderId),
      (o) => o.shippingAddress === null,
      15_000,
    );
    const booked = carrier.bookings;
    const refused = expectProblem(await step(shipment.id, 'dispatch'), 409, 'CONFLICT');
    expect(refused.detail).toContain('erased');
    expect(carrier.bookings).toBe(booked);
    expect((await list(`?orderId=${orderId}`))[0]?.status).toBe('packed');
  });

  it('retries a capture the provider refused at dispatch, shows it in the order notes and the metrics, and captures later', async () => {
    const { orderId, shipment, customer } = await confirmedOrder();
    await ok(shipment.id, 'pick');
    await ok(shipment.id, 'pack');
    const failedBefore = await captureCount('unavailable');
    provider.setOutage(true);
    let order: OrderView;
    try {
      await ok(shipment.id, 'dispatch');
      order = await pollUntil(
        () => adminOrder(orderId),
        (o) => o.notes.some((n) => n.text.startsWith('payment capture failed')),
        15_000,
      );
      // shipped all the same: the parcel is on its way, the capture is due and retried
      expect(order.status).toBe('SHIPPED');
      expect(order.payment?.status).toBe('AUTHORIZED');
      expect(order.notes.at(-1)).toMatchObject({
        text: expect.stringMatching(/^payment capture failed \(unavailable: outage\); retrying$/),
      });
      expect(await captureCount('unavailable')).toBeGreaterThan(failedBefore);
      const metrics = (await t.app.inject({ method: 'GET', url: '/metrics' })).body;
      expect(metrics).toMatch(/payment_operations_total\{operation="capture",result="unavailable"\} [1-9]/);
    } finally {
      provider.setOutage(false);
    }
    order = await pollUntil(
      () => adminOrder(orderId),
      (o) => o.payment?.status === 'CAPTURED' && o.notes.some((n) => n.text.startsWith('payment captured')),
      15_000,
    );
    expect(order.payment?.captured.amount).toBe(order.total.amount);
    // a provider down for many attempts leaves one note, not one per attempt
    const notes = order.notes.filter((n) => n.text.startsWith('payment capture failed'));
    expect(notes).toHaveLength(1);
    // and the history holds moves only: SHIPPED once, no SHIPPED → SHIPPED for the capture
    expect(order.history.filter((h) => h.status === 'SHIPPED')).toHaveLength(1);
    expect(order.history.some((h, i) => i > 0 && order.history[i - 1]!.status === h.status)).toBe(false);
    const mine = await t.app.inject({
      method: 'GET',
      url: `/api/v1/orders/${orderId}`,
      headers: customer!.auth,
    });
    expect(mine.json().payment.status).toBe('CAPTURED');
  });

  const captureCount = async (result: string) => {
    const metric = await t.runtime.platform.metrics.registry
      .getSingleMetric('payment_operations_total')
      ?.get();
    return (
      metric?.values.find((v) => v.labels.operation === 'capture' && v.labels.result === result)?.value ?? 0
    );
  };

  it('keeps the staff member who made each step in the shipment history', async () => {
    const { shipment } = await confirmedOrder();
    const picked = await ok(shipment.id, 'pick', manager);
    const rows = await t.runtime.platform.dataSource.query(
      'SELECT status, actor_kind, actor_id FROM fulfilment_shipment_history WHERE shipment_id = $1 ORDER BY position',
      [shipment.id],
    );
    const me = (await t.app.inject({ method: 'GET', url: '/api/v1/me', headers: manager })).json();
    expect(rows).toEqual([
      { status: 'pending', actor_kind: 'system', actor_id: null },
      { status: 'picked', actor_kind: 'staff', actor_id: me.id },
    ]);
    expect(picked.status).toBe('picked');
  });
});
