import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../../support/app.js';
import { json, loginAs } from '../../support/http.js';
import { pollOrder } from '../../support/journey.js';
import {
  deliveredOrder,
  openReturnsShop,
  pollReturn,
  requestReturn,
  returnsOfOrder,
  staffStep,
} from '../../support/returns.js';
import { missing } from '../../support/skip.js';

type Headers = Record<string, string>;

/**
 * Issue 21's races, 100 concurrent callers on the default pool of 10: never more units back, or more
 * money out, than were delivered and paid — and no 5xx.
 */
describe.skipIf(missing('postgres'))('returns under concurrency', () => {
  const ADMIN = { email: 'returns-races-admin@shop.example', password: 'admin-password-1' };
  let t: TestApp;
  let admin: Headers;
  let shop: Awaited<ReturnType<typeof openReturnsShop>>;

  beforeAll(async () => {
    // the embedded default: a pool of 10, in-process events
    t = await startTestApp({ ADMIN_EMAIL: ADMIN.email, ADMIN_PASSWORD: ADMIN.password, DB_POOL_SIZE: '10' });
    expect(t.config.DB_POOL_SIZE).toBe(10);
    admin = await loginAs(t, ADMIN);
    shop = await openReturnsShop(t, admin);
  });
  afterAll(async () => {
    await t?.close();
  });

  it('100 concurrent return requests for one line of 3 units: at most 3 units requested in total', async () => {
    const { order, auth } = await deliveredOrder(t, admin, [{ sku: shop.sizes.m, quantity: 3 }]);
    const answers = await Promise.all(
      Array.from({ length: 100 }, (_, i) =>
        requestReturn(
          t,
          order.id,
          { lines: [{ sku: shop.sizes.m, quantity: 1 + (i % 2), reason: 'no_longer_needed' }] },
          { auth },
        ),
      ),
    );
    const statuses = answers.map((a) => a.statusCode);
    expect(
      statuses.filter((s) => s !== 201 && s !== 409),
      JSON.stringify(answers.find((a) => a.statusCode >= 500)?.body),
    ).toEqual([]);
    const accepted = answers.filter((a) => a.statusCode === 201).map((a) => a.json());
    expect(accepted.length).toBeGreaterThan(0);
    const requested = accepted.reduce((n, r) => n + r.lines[0].quantity, 0);
    expect(requested).toBeLessThanOrEqual(3);
    const stored = await returnsOfOrder(t, order.id, { auth });
    expect(stored.reduce((n, r) => n + r.lines[0]!.quantity, 0)).toBe(requested);
    // the numbers are distinct and consecutive
    expect(stored.map((r) => r.number).sort()).toEqual(
      stored.map((_, i) => `${order.number}-R${i + 1}`).sort(),
    );
  });

  it('100 concurrent receipts of one return: one receipt, one refund', async () => {
    const { order, auth } = await deliveredOrder(t, admin, [{ sku: shop.sizes.m, quantity: 2 }]);
    const ret = (
      await requestReturn(
        t,
        order.id,
        { lines: [{ sku: shop.sizes.m, quantity: 2, reason: 'damaged' }] },
        { auth },
      )
    ).json();
    expect((await staffStep(t, admin, ret.id, 'approve')).statusCode).toBe(200);
    const body = {
      warehouseId: shop.warehouseId,
      lines: [{ sku: shop.sizes.m, quantity: 2, condition: 'resellable' }],
    };
    const answers = await Promise.all(
      Array.from({ length: 100 }, () => staffStep(t, admin, ret.id, 'receive', body)),
    );
    const statuses = answers.map((a) => a.statusCode);
    expect(statuses.filter((s) => s === 200)).toHaveLength(1);
    expect(
      statuses.filter((s) => s !== 200 && s !== 409),
      JSON.stringify(answers.find((a) => a.statusCode >= 500)?.body),
    ).toEqual([]);
    const done = await pollReturn(t, admin, ret.id, (r) => r.status === 'REFUNDED', 'refunded once');
    // every unit of the order came back: its whole total, shipping included
    expect(done.refund?.amount).toBe(order.total.amount);
    const view = await pollOrder(t, order.id, auth, (o) => (o.payment?.refunded.amount ?? 0) > 0, 'refunded');
    expect(view.payment?.refunded.amount).toBe(done.refund?.amount);
    const refunds: { n: number }[] = await t.runtime.platform.dataSource.query(
      `SELECT count(*)::int AS n FROM payment_refunds r JOIN payments p ON p.id = r.payment_id WHERE p.order_id = $1`,
      [order.id],
    );
    expect(refunds[0]!.n).toBe(1);
    const restocked: { n: number }[] = await t.runtime.platform.dataSource.query(
      `SELECT count(*)::int AS n FROM outbox WHERE type = 'shopcore.inventory.StockAdjusted.v1'
       AND data->>'sku' = $1 AND data->>'reason' = 'return' AND seq > $2`,
      [shop.sizes.m, 0],
    );
    expect(restocked[0]!.n).toBeGreaterThanOrEqual(1);
  });

  it('a return racing an admin refund of the same order: never more refunded than captured', async () => {
    const { order, auth } = await deliveredOrder(t, admin, [
      { sku: shop.sizes.m, quantity: 2 },
      { sku: shop.other, quantity: 1 },
    ]);
    const ret = (
      await requestReturn(
        t,
        order.id,
        { lines: [{ sku: shop.sizes.m, quantity: 2, reason: 'damaged' }] },
        { auth },
      )
    ).json();
    expect((await staffStep(t, admin, ret.id, 'approve')).statusCode).toBe(200);
    const captured = order.payment!.captured.amount;
    expect(captured).toBe(order.total.amount);
    // staff refund most of the order while the parcel is received
    const adminRefund = captured - 100;
    const [receipt, refund] = await Promise.all([
      staffStep(t, admin, ret.id, 'receive', {
        warehouseId: shop.warehouseId,
        lines: [{ sku: shop.sizes.m, quantity: 2, condition: 'resellable' }],
      }),
      t.app.inject({
        method: 'POST',
        url: `/api/v1/admin/orders/${order.id}/refunds`,
        ...json({ amount: adminRefund, reason: 'goodwill' }, admin),
      }),
    ]);
    expect(receipt.statusCode, receipt.body).toBe(200);
    expect([200, 201, 409], refund.body).toContain(refund.statusCode);
    const settled = await pollReturn(t, admin, ret.id, (r) => r.status === 'REFUNDED', 'the return settles');
    const view = await pollOrder(
      t,
      order.id,
      auth,
      (o) =>
        (o.payment?.refunded.amount ?? 0) ===
        (refund.statusCode === 409 ? 0 : adminRefund) + (settled.refund?.amount ?? 0),
      'both refunds recorded',
    );
    expect(view.payment!.refunded.amount).toBeLessThanOrEqual(captured);
    expect(view.payment!.captured.amount).toBe(captured);
  });
});
