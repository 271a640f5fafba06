import { randomBytes } from 'node:crypto';
import { Kafka, logLevel } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { startTestApp, type TestApp } from '../../support/app.js';
import { shipmentsOf, shipThrough } from '../../support/fulfilment.js';
import { loginAs } from '../../support/http.js';
import { pollOrder, stockIn } from '../../support/journey.js';
import { waitUntilQuiet } from '../../support/journey-checks.js';
import { consumeUntil } from '../../support/kafka.js';
import {
  adminReturn,
  deliveredOrder,
  movementsOf,
  openReturnsShop,
  pollReturn,
  requestReturn,
  returnEventsOf,
  staffStep,
} from '../../support/returns.js';
import { missing } from '../../support/skip.js';
import { pollUntil } from '../../support/wait.js';

type Headers = Record<string, string>;

/**
 * The acceptance journey of issue 21 in-process, in both tax modes: order (with a 10 % coupon) →
 * deliver → return two units of one line → approve → receive one resellable and one damaged unit →
 * the refund is what was paid for those two units → REFUNDED, with the events in order and two
 * emails. Then an exchange for another size of the same product → a replacement order that ships.
 *
 * The amounts are worked out by hand from the prices: coat M 2000 × 2 and scarf 1000 × 1, subtotal
 * 5000, coupon 10 % = 500 shared 400 / 100, so the coat line costs 3600 after the discount. In the eu
 * (tax included) that is what was paid for the two coats; in the us (tax on top, 7.25 %) the line's tax
 * 3600 × 7.25 % = 261 is added: 3861. Shipping stays with the scarf that was kept.
 */
for (const region of [
  { code: 'eu', refund: 3600, currency: 'EUR', kafka: false },
  { code: 'us', refund: 3861, currency: 'USD', kafka: false },
  { code: 'eu', refund: 3600, currency: 'EUR', kafka: true },
] as const) {
  const name = `returns journey (${region.code}: tax ${region.code === 'eu' ? 'included' : 'on top'}; events ${region.kafka ? 'through Kafka' : 'in-process'})`;
  describe.skipIf(region.kafka ? missing('postgres', 'kafka') : missing('postgres'))(name, () => {
    const ADMIN = { email: `returns-${region.code}-admin@shop.example`, password: 'admin-password-1' };
    const prefix = `returns${randomBytes(3).toString('hex')}.`;
    let t: TestApp;
    let admin: Headers;
    let shop: Awaited<ReturnType<typeof openReturnsShop>>;

    beforeAll(async () => {
      t = await startTestApp(
        {
          REGION: region.code,
          ADMIN_EMAIL: ADMIN.email,
          ADMIN_PASSWORD: ADMIN.password,
          ...(region.kafka ? { KAFKA_TOPIC_PREFIX: prefix } : {}),
        },
        { kafka: region.kafka },
      );
      expect(t.runtime.platform.publisher.kind).toBe(region.kafka ? 'kafka' : 'in-process');
      admin = await loginAs(t, ADMIN);
      shop = await openReturnsShop(t, admin);
    });
    afterAll(async () => {
      await t?.close();
    });

    /** The templates of the notifications about an order (staff view). */
    const mailsOf = async (orderId: string) =>
      (
        (
          await t.app.inject({
            method: 'GET',
            url: `/api/v1/admin/notifications?orderId=${orderId}&limit=50`,
            headers: admin,
          })
        ).json().items as { template: string }[]
      ).map((n) => n.template);

    /** Through Kafka: the return's events as a downstream consumer reads them from `returns.events`, in order. */
    const fromKafka = async (returnId: string, count: number) => {
      if (!region.kafka) return null;
      const kafka = new Kafka({
        clientId: 'returns-reader',
        brokers: inject('kafkaBrokers')!.split(','),
        logLevel: logLevel.NOTHING,
      });
      const ofReturn = (ms: { headers: Record<string, string> }[]) =>
        ms.filter((m) => m.headers.ce_subject === returnId);
      const received = await consumeUntil(
        kafka,
        [`${prefix}returns.events`],
        (ms) => ofReturn(ms).length >= count,
        20_000,
      );
      return ofReturn(received).map((m) => m.headers.ce_type!.split('.')[2]);
    };

    it('return two units of a discounted line: one back on hand, one written off, refunded what was paid for them', async () => {
      const { sizes, other, warehouseId } = shop;
      const { order, auth } = await deliveredOrder(
        t,
        admin,
        [
          { sku: sizes.m, quantity: 2 },
          { sku: other, quantity: 1 },
        ],
        { coupon: shop.coupon },
      );
      expect(order.discount.amount).toBe(500);
      const coatLine = order.items.find((i) => i.sku === sizes.m)!;
      expect(coatLine.lineTotal.amount).toBe(3600);
      const before = await stockIn(t, admin, sizes.m, warehouseId);

      const requested = await requestReturn(
        t,
        order.id,
        { lines: [{ sku: sizes.m, quantity: 2, reason: 'not_as_described' }], note: 'The colour is off' },
        { auth },
      );
      expect(requested.statusCode, requested.body).toBe(201);
      const ret = requested.json();
      expect(ret).toMatchObject({
        orderId: order.id,
        number: `${order.number}-R1`,
        status: 'REQUESTED',
        lines: [{ sku: sizes.m, quantity: 2, reason: 'not_as_described', received: 0 }],
        exchange: [],
        refund: null,
        replacementOrderId: null,
      });

      const approved = await staffStep(t, admin, ret.id, 'approve');
      expect(approved.statusCode, approved.body).toBe(200);
      expect(approved.json().status).toBe('APPROVED');

      const received = await staffStep(t, admin, ret.id, 'receive', {
        warehouseId,
        lines: [
          { sku: sizes.m, quantity: 1, condition: 'resellable' },
          { sku: sizes.m, quantity: 1, condition: 'damaged' },
        ],
      });
      expect(received.statusCode, received.body).toBe(200);
      expect(['RECEIVED', 'REFUNDED']).toContain(received.json().status);

      const refunded = await pollReturn(
        t,
        admin,
        ret.id,
        (r) => r.status === 'REFUNDED',
        'the return is refunded',
      );
      expect(refunded.refund).toEqual({ amount: region.refund, currency: region.currency });
      expect(refunded.lines).toMatchObject([{ sku: sizes.m, quantity: 2, received: 2 }]);
      expect(refunded.history.map((h) => h.status)).toEqual([
        'REQUESTED',
        'APPROVED',
        'RECEIVED',
        'REFUNDED',
      ]);

      // the stock: one coat back on hand in the receiving warehouse, the damaged one written off in the ledger
      const after = await stockIn(t, admin, sizes.m, warehouseId);
      expect(after.onHand - before.onHand).toBe(1);
      const ledger = (await movementsOf(t, admin, sizes.m)).filter((m) => m.warehouseId === warehouseId);
      expect(ledger.filter((m) => m.reason === 'write_off').map((m) => m.delta)).toEqual([-1]);
      expect(ledger.filter((m) => m.reason === 'return').reduce((a, m) => a + m.delta, 0)).toBe(2);

      // the money: the order's payment shows it, and its view lists the return
      const view = await pollOrder(
        t,
        order.id,
        auth,
        (o) => o.payment?.refunded.amount === region.refund,
        'the payment shows the refund',
      );
      expect(view.payment?.captured.amount).toBe(order.total.amount);
      expect((view as unknown as { returns: unknown[] }).returns).toEqual([
        {
          id: ret.id,
          number: ret.number,
          status: 'REFUNDED',
          refund: { amount: region.refund, currency: region.currency },
        },
      ]);
      expect(view.status).toBe('DELIVERED');

      // the events, in order, on returns.events; and the ledger's reasons on inventory.events
      const events = await returnEventsOf(t, order.id);
      expect(events.map((e) => e.type)).toEqual([
        'ReturnRequested',
        'ReturnApproved',
        'ReturnReceived',
        'ReturnRefunded',
      ]);
      const published = await fromKafka(ret.id, 4);
      if (published)
        expect(published).toEqual(['ReturnRequested', 'ReturnApproved', 'ReturnReceived', 'ReturnRefunded']);
      expect(events[3]!.data).toMatchObject({
        returnId: ret.id,
        number: ret.number,
        refund: { amount: region.refund, currency: region.currency },
      });
      expect(JSON.stringify(events)).not.toContain('colour');
      const adjusted: { reason: string; delta: number }[] = await t.runtime.platform.dataSource.query(
        `SELECT data->>'reason' AS reason, (data->>'delta')::int AS delta FROM outbox
         WHERE type = 'shopcore.inventory.StockAdjusted.v1' AND data->>'sku' = $1 AND data->>'reason' IN ('return', 'write_off')
         ORDER BY seq`,
        [sizes.m],
      );
      expect(adjusted.filter((a) => a.reason === 'write_off')).toEqual([{ reason: 'write_off', delta: -1 }]);

      // two emails: the return approved (with what to do) and the return refunded — the refund is not
      // told a second time as refund-issued
      await waitUntilQuiet(t);
      const templates = (await mailsOf(order.id)).filter((x) => x.startsWith('re'));
      expect(templates.sort()).toEqual(['return-approved', 'return-refunded']);
    });

    it('an exchange for another size of the same product: a replacement order ships, the lower price refunded as the difference, stock of both sizes right', async () => {
      const { sizes, warehouseId } = shop;
      const { order, auth } = await deliveredOrder(t, admin, [{ sku: sizes.m, quantity: 1 }]);
      const mBefore = await stockIn(t, admin, sizes.m, warehouseId);
      const sBefore = await stockIn(t, admin, sizes.s, warehouseId);

      const requested = await requestReturn(
        t,
        order.id,
        {
          lines: [{ sku: sizes.m, quantity: 1, reason: 'wrong_item' }],
          exchange: [{ sku: sizes.s, quantity: 1 }],
        },
        { auth },
      );
      expect(requested.statusCode, requested.body).toBe(201);
      const ret = requested.json();
      expect(ret.exchange).toEqual([{ sku: sizes.s, quantity: 1 }]);
      expect((await staffStep(t, admin, ret.id, 'approve')).statusCode).toBe(200);
      const received = await staffStep(t, admin, ret.id, 'receive', {
        warehouseId,
        lines: [{ sku: sizes.m, quantity: 1, condition: 'resellable' }],
      });
      expect(received.statusCode, received.body).toBe(200);
      const exchanged = await pollReturn(
        t,
        admin,
        ret.id,
        (r) => r.status === 'EXCHANGED',
        'the return is exchanged',
      );
      expect(exchanged.replacementOrderId).toBeTruthy();
      // paid for M, got S at its lower price: the difference comes back with the discount and tax as charged
      const paidForM =
        order.total.amount - order.shipping.amount - (region.code === 'us' ? shippingTax(order) : 0);
      const expectedDifference = paidForM - Math.floor((paidForM * shop.prices.s) / shop.prices.m);
      expect(exchanged.refund).toEqual({ amount: expectedDifference, currency: region.currency });

      // the replacement: an order of its own, confirmed without a payment, reserved and shipped like any
      const replacementId = exchanged.replacementOrderId!;
      const replacement = await pollUntil(
        async () =>
          (
            await t.app.inject({
              method: 'GET',
              url: `/api/v1/admin/orders/${replacementId}`,
              headers: admin,
            })
          ).json(),
        (o) => o.status === 'CONFIRMED',
        20_000,
      );
      expect(replacement).toMatchObject({
        status: 'CONFIRMED',
        customerId: order.customerId,
        items: [{ sku: sizes.s, quantity: 1 }],
        total: { amount: 0 },
      });
      const shipments = await pollUntil(
        () => shipmentsOf(t, admin, replacementId),
        (s) => s.length > 0,
        20_000,
      );
      for (const s of shipments) await shipThrough(t, admin, s.id, ['pick', 'pack', 'dispatch', 'deliver']);
      await pollOrder(
        t,
        replacementId,
        auth,
        (o) => o.status === 'DELIVERED',
        'the replacement is delivered',
      );

      // stock: the M back on hand, the S gone with the replacement parcel
      expect((await stockIn(t, admin, sizes.m, warehouseId)).onHand - mBefore.onHand).toBe(1);
      const sAfter = await stockIn(t, admin, sizes.s, warehouseId);
      expect([sAfter.onHand - sBefore.onHand, sAfter.reserved - sBefore.reserved]).toEqual([-1, 0]);

      // events: the exchange names its replacement; the payment shows the difference refunded
      const events = await returnEventsOf(t, order.id);
      expect(events.map((e) => e.type)).toEqual([
        'ReturnRequested',
        'ReturnApproved',
        'ReturnReceived',
        'ReturnExchanged',
      ]);
      expect(events[3]!.data).toMatchObject({ replacementOrderId: replacementId });
      const published = await fromKafka(ret.id, 4);
      if (published)
        expect(published).toEqual(['ReturnRequested', 'ReturnApproved', 'ReturnReceived', 'ReturnExchanged']);
      await pollOrder(
        t,
        order.id,
        auth,
        (o) => o.payment?.refunded.amount === expectedDifference,
        'the difference is refunded',
      );
      expect((await adminReturn(t, admin, ret.id)).status).toBe('EXCHANGED');
      // mails: the return approved, and the difference refunded (an exchange has no return-refunded)
      await waitUntilQuiet(t);
      const templates = (await mailsOf(order.id)).filter((x) => x.startsWith('re'));
      expect(templates.sort()).toEqual(['refund-issued', 'return-approved']);
      expect(await mailsOf(replacementId)).toContain('replacement-shipped');
    });
  });
}

/** The tax on shipping of a tax-on-top order: what its total holds beyond the lines and their tax. */
const shippingTax = (order: {
  total: { amount: number };
  subtotal: { amount: number };
  discount: { amount: number };
  shipping: { amount: number };
  tax: { amount: number };
}) => {
  // total = (subtotal − discount) + shipping + tax; tax = lines' tax + shipping's tax. One line here:
  // its tax is 7.25 % of its total, the rest of `tax` is shipping's.
  const lines = order.subtotal.amount - order.discount.amount;
  return order.tax.amount - Math.round((lines * 725) / 10_000);
};
