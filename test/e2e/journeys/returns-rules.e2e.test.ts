import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../../src/platform/clock.js';
import { startTestApp, type TestApp } from '../../support/app.js';
import { registerCustomer } from '../../support/checkout.js';
import { expectProblem, loginAs } from '../../support/http.js';
import { pollOrder } from '../../support/journey.js';
import {
  deliveredOrder,
  openReturnsShop,
  requestReturn,
  returnEventsOf,
  returnsOfOrder,
  staffStep,
} from '../../support/returns.js';
import { missing } from '../../support/skip.js';

type Headers = Record<string, string>;
const DAY = 86_400_000;

/**
 * The refusals of issue 21 — each answered with its status and leaving nothing behind (no return, no
 * event) — and completion: DELIVERED → COMPLETED once the window closed with no return open, on a
 * ManualClock the test moves (RETURN_WINDOW_DAYS=30, the default).
 */
describe.skipIf(missing('postgres'))('returns: refusals, the window and completion', () => {
  const ADMIN = { email: 'returns-rules-admin@shop.example', password: 'admin-password-1' };
  const clock = new ManualClock(new Date());
  let t: TestApp;
  let admin: Headers;
  let shop: Awaited<ReturnType<typeof openReturnsShop>>;

  beforeAll(async () => {
    t = await startTestApp({ ADMIN_EMAIL: ADMIN.email, ADMIN_PASSWORD: ADMIN.password }, { clock });
    admin = await loginAs(t, ADMIN);
    shop = await openReturnsShop(t, admin);
  });
  afterAll(async () => {
    await t?.close();
  });

  /** Access tokens expire on the moved clock: the customers log in again. */
  const relogin = async (orders: { email: string; auth: Headers }[]) => {
    for (const o of orders) o.auth = await loginAs(t, { email: o.email, password: 'correct horse battery' });
  };

  /** Nothing left behind: no return on the order, no event on returns.events. */
  const nothingBehind = async (orderId: string, who: { auth: Headers; query?: string }) => {
    expect(await returnsOfOrder(t, orderId, who)).toEqual([]);
    expect(await returnEventsOf(t, orderId)).toEqual([]);
  };

  it('a line not yet delivered (order shipped, parcel on its way) is 409', async () => {
    const { order, auth } = await deliveredOrder(t, admin, [{ sku: shop.sizes.m, quantity: 1 }], {
      deliver: false,
    });
    const r = await requestReturn(
      t,
      order.id,
      { lines: [{ sku: shop.sizes.m, quantity: 1, reason: 'other' }] },
      { auth },
    );
    expectProblem(r, 409, 'CONFLICT');
    await nothingBehind(order.id, { auth });
  });

  it('a quantity above what remains is 409 — also counting what an earlier return requested', async () => {
    const { order, auth } = await deliveredOrder(t, admin, [{ sku: shop.sizes.m, quantity: 2 }]);
    expectProblem(
      await requestReturn(
        t,
        order.id,
        { lines: [{ sku: shop.sizes.m, quantity: 3, reason: 'other' }] },
        { auth },
      ),
      409,
      'CONFLICT',
    );
    await nothingBehind(order.id, { auth });
    const first = await requestReturn(
      t,
      order.id,
      { lines: [{ sku: shop.sizes.m, quantity: 1, reason: 'other' }] },
      { auth },
    );
    expect(first.statusCode, first.body).toBe(201);
    expectProblem(
      await requestReturn(
        t,
        order.id,
        { lines: [{ sku: shop.sizes.m, quantity: 2, reason: 'other' }] },
        { auth },
      ),
      409,
      'CONFLICT',
    );
    // a SKU that is not on the order at all: nothing of it was delivered
    expectProblem(
      await requestReturn(
        t,
        order.id,
        { lines: [{ sku: shop.other, quantity: 1, reason: 'other' }] },
        { auth },
      ),
      409,
      'CONFLICT',
    );
    expect((await returnsOfOrder(t, order.id, { auth })).map((r) => r.lines)).toEqual([
      [expect.objectContaining({ sku: shop.sizes.m, quantity: 1 })],
    ]);
    // a cancelled return frees its units again
    const cancelled = await t.app.inject({
      method: 'POST',
      url: `/api/v1/orders/${order.id}/returns/${first.json().id}/cancel`,
      headers: auth,
    });
    expect(cancelled.statusCode, cancelled.body).toBe(200);
    expect(cancelled.json().status).toBe('CANCELLED');
    const again = await requestReturn(
      t,
      order.id,
      { lines: [{ sku: shop.sizes.m, quantity: 2, reason: 'other' }] },
      { auth },
    );
    expect(again.statusCode, again.body).toBe(201);
    expect(again.json().number).toBe(`${order.number}-R2`);
  });

  it('someone else’s order is 404, a guest with a wrong email is 404, an unknown reason is 400', async () => {
    const { order, auth } = await deliveredOrder(t, admin, [{ sku: shop.sizes.m, quantity: 1 }]);
    const stranger = await registerCustomer(t, 'Stranger');
    const body = { lines: [{ sku: shop.sizes.m, quantity: 1, reason: 'other' }] };
    expectProblem(await requestReturn(t, order.id, body, { auth: stranger.auth }), 404, 'NOT_FOUND');
    expectProblem(await requestReturn(t, order.id, body, { auth: {} }), 404, 'NOT_FOUND');
    expectProblem(
      await requestReturn(
        t,
        order.id,
        { lines: [{ sku: shop.sizes.m, quantity: 1, reason: 'changed_my_mind' }] },
        { auth },
      ),
      400,
      'VALIDATION_FAILED',
    );
    await nothingBehind(order.id, { auth });

    const guest = await deliveredOrder(t, admin, [{ sku: shop.sizes.m, quantity: 1 }], { guest: true });
    expectProblem(
      await requestReturn(t, guest.order.id, body, { auth: {}, query: '?email=someone-else%40example.com' }),
      404,
      'NOT_FOUND',
    );
    await nothingBehind(guest.order.id, { auth: {}, query: guest.query });
    const ok = await requestReturn(t, guest.order.id, body, { auth: {}, query: guest.query });
    expect(ok.statusCode, ok.body).toBe(201);
  });

  it('an exchange for another product, or for a dearer size, is 400', async () => {
    const { order, auth } = await deliveredOrder(t, admin, [{ sku: shop.sizes.m, quantity: 1 }]);
    const line = { sku: shop.sizes.m, quantity: 1, reason: 'wrong_item' };
    expectProblem(
      await requestReturn(
        t,
        order.id,
        { lines: [line], exchange: [{ sku: shop.other, quantity: 1 }] },
        { auth },
      ),
      400,
      'VALIDATION_FAILED',
    );
    expectProblem(
      await requestReturn(
        t,
        order.id,
        { lines: [line], exchange: [{ sku: shop.sizes.l, quantity: 1 }] },
        { auth },
      ),
      400,
      'VALIDATION_FAILED',
    );
    await nothingBehind(order.id, { auth });
  });

  it('a window that has closed is 409; the order completes then, not while a return is open', async () => {
    const open = await deliveredOrder(t, admin, [{ sku: shop.sizes.m, quantity: 1 }]);
    const closed = await deliveredOrder(t, admin, [{ sku: shop.sizes.m, quantity: 1 }]);
    const request = await requestReturn(
      t,
      open.order.id,
      { lines: [{ sku: shop.sizes.m, quantity: 1, reason: 'no_longer_needed' }] },
      { auth: open.auth },
    );
    expect(request.statusCode, request.body).toBe(201);

    // still inside the window (29 days): the orders stay DELIVERED (tokens follow the clock: log in again)
    clock.advance(29 * DAY);
    await relogin([open, closed]);
    await completeDue(t);
    for (const o of [open, closed]) {
      await pollOrder(t, o.order.id, o.auth, (v) => v.status === 'DELIVERED', 'inside the window');
    }

    // 31 days after delivery: no new return; the order without one completes, the one with an open return does not
    clock.advance(2 * DAY);
    await relogin([open, closed]);
    expectProblem(
      await requestReturn(
        t,
        closed.order.id,
        { lines: [{ sku: shop.sizes.m, quantity: 1, reason: 'other' }] },
        { auth: closed.auth },
      ),
      409,
      'CONFLICT',
    );
    await nothingBehind(closed.order.id, { auth: closed.auth });
    await completeDue(t);
    await pollOrder(
      t,
      closed.order.id,
      closed.auth,
      (v) => v.status === 'COMPLETED',
      'the window closed: COMPLETED',
    );
    const completed: { type: string }[] = await t.runtime.platform.dataSource.query(
      `SELECT type FROM outbox WHERE context = 'orders' AND data->>'orderId' = $1 AND type LIKE '%OrderCompleted%'`,
      [closed.order.id],
    );
    expect(completed).toHaveLength(1);
    await pollOrder(t, open.order.id, open.auth, (v) => v.status === 'DELIVERED', 'a return is open');

    // the return ends (rejected): at the next pass the order completes
    admin = await loginAs(t, ADMIN);
    const rejected = await staffStep(t, admin, request.json().id, 'reject', { reason: 'worn' });
    expect(rejected.statusCode, rejected.body).toBe(200);
    expect(rejected.json().status).toBe('REJECTED');
    await completeDue(t);
    await pollOrder(
      t,
      open.order.id,
      open.auth,
      (v) => v.status === 'COMPLETED',
      'the return ended: COMPLETED',
    );
  });
});

/** One pass of the completion task, as its timer would run it. */
const completeDue = async (t: TestApp) => {
  await (
    t.runtime.modules as unknown as { returns: { services: { completeDelivered(): Promise<unknown> } } }
  ).returns.services.completeDelivered();
};
