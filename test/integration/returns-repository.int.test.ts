import type { DataSource } from 'typeorm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ShipmentSummary } from '../../src/fulfilment/contract.js';
import {
  createOrdersServices,
  ORDERS_ENTITIES,
  type OrdersServices,
} from '../../src/orders/orders.plugin.js';
import type { RefundRequest, RefundView } from '../../src/payments/contract.js';
import { ManualClock } from '../../src/platform/clock.js';
import { createDataSource } from '../../src/platform/db/data-source.js';
import { asHandle } from '../../src/platform/db/typeorm-unit-of-work.js';
import { AppError } from '../../src/platform/errors.js';
import type { ReturnCaller } from '../../src/returns/application/return-access.policy.js';
import { ReturnEventTypes } from '../../src/returns/contract.js';
import {
  createReturnsServices,
  RETURNS_ENTITIES,
  type ReturnsServices,
} from '../../src/returns/returns.plugin.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { newOrder, orderLine, placeOrder } from '../support/orders.js';
import { missing } from '../support/skip.js';

const WAREHOUSE = '0a0a0a0a-0000-4000-8000-00000000000a';
const STAFF = { kind: 'staff' as const, id: '8e7d6c5b-4a39-4281-9f0e-1d2c3b4a5968' };
const system = { kind: 'system' as const };

/**
 * The returns repository and the request rule against a real Postgres: rows and history mapped back
 * into the aggregate, the staff listing's keyset pages, the facade's reads inside a caller's
 * transaction, and the concurrency rule — requests of one order serialise on the order's row, so 100
 * concurrent requests on a pool of 10 never claim more units than were delivered, and all the others
 * are 409. Orders are the real orders context; fulfilment, payments and the rest are small fakes.
 */
describe.skipIf(missing('postgres'))('returns repository and requests (real Postgres)', () => {
  let db: TestDatabase;
  let ds: DataSource;
  let orders: OrdersServices;
  let returns: ReturnsServices;
  const clock = new ManualClock('2026-03-01T12:00:00Z');
  const shipments = new Map<string, ShipmentSummary[]>();
  const refunds = new Map<string, RefundView>();

  beforeAll(async () => {
    db = await createTestDatabase();
    ds = createDataSource({
      url: db.url,
      poolSize: 10,
      entities: [...ORDERS_ENTITIES, ...RETURNS_ENTITIES],
      guard: { nested: 'error' },
    });
    await ds.initialize();
    orders = createOrdersServices({ dataSource: ds, regionCode: 'eu', clock });
    returns = createReturnsServices({
      dataSource: ds,
      region: 'eu',
      clock,
      windowDays: 30,
      orders: orders.facade,
      fulfilment: {
        shipmentsOf: async (ids) =>
          new Map(ids.flatMap((id) => (shipments.has(id) ? [[id, shipments.get(id)!] as const] : []))),
      },
      inventory: {
        receiveReturn: async (input) => ({
          restocked: input.lines.map((l) => ({ sku: l.sku, quantity: l.quantity })),
          writtenOff: [],
        }),
        reserve: async (orderId) => ({ ok: true, orderId, lines: [], expiresAt: new Date(0) }),
        confirm: async () => true,
      },
      payments: {
        requestRefund: async (orderId, input): Promise<RefundRequest> => {
          const refund: RefundView = {
            id: input.refundId,
            orderId,
            amount: { amount: input.amount, currency: 'EUR' },
            status: 'pending',
            reason: input.reason,
            failure: null,
          };
          refunds.set(input.refundId, refund);
          return { outcome: 'reserved', refund };
        },
        refundsOf: async (ids) =>
          new Map(ids.flatMap((id) => (refunds.has(id) ? [[id, refunds.get(id)!] as const] : []))),
        settle: async (orderId) => {
          for (const [id, r] of refunds)
            if (r.orderId === orderId) refunds.set(id, { ...r, status: 'succeeded' });
          return null;
        },
      },
      catalog: { findVariants: async () => [] },
      pricing: { pricesFor: async () => new Map() },
    });
  });
  afterAll(async () => {
    await ds?.destroy();
    await db?.drop();
  });

  /** A customer's delivered order of `quantity` × one SKU (12.50 each) with its one delivered parcel. */
  const deliveredOrder = async (quantity = 3) => {
    const sku = `RET-${Math.random().toString(36).slice(2, 8)}`;
    const input = newOrder({ lines: [orderLine({ sku, quantity })] });
    await placeOrder(ds, orders.facade, input);
    await ds.transaction((m) =>
      orders.facade.transition(
        input.id,
        ['PAYMENT_AUTHORIZED', 'CONFIRMED', 'SHIPPED', 'DELIVERED'],
        { actor: system },
        asHandle(m),
      ),
    );
    shipments.set(input.id, [
      {
        id: crypto.randomUUID(),
        status: 'delivered',
        warehouseId: WAREHOUSE,
        trackingNumber: 'T',
        lines: [{ sku, quantity }],
        deliveredAt: clock.now(),
      },
    ]);
    const owner: ReturnCaller = {
      principal: {
        userId: input.customerId!,
        roles: ['customer'],
        tokenId: 't',
        expiresAt: new Date(8.64e15),
      },
    };
    return { orderId: input.id, sku, owner };
  };

  it('stores a return and reads it back whole: lines, exchange, note, refund, receipt, history; events in the outbox', async () => {
    const { orderId, sku, owner } = await deliveredOrder(3);
    const requested = await returns.requestReturn.execute(orderId, owner, {
      lines: [{ sku, quantity: 2, reason: 'damaged' }],
      note: 'the handle broke',
    });
    await returns.approveReturn.execute(requested.id, STAFF);
    clock.advance(1000);
    const received = await returns.receiveReturn.execute(
      requested.id,
      {
        warehouseId: WAREHOUSE,
        lines: [
          { sku, quantity: 1, condition: 'resellable' },
          { sku, quantity: 1, condition: 'damaged' },
        ],
      },
      STAFF,
    );
    expect(received.status).toBe('REFUNDED');
    const view = await returns.getReturn.execute(requested.id);
    expect(view).toEqual(received);
    expect(view).toMatchObject({
      orderId,
      number: expect.stringMatching(/^EU-[0-9]+-R1$/),
      status: 'REFUNDED',
      lines: [{ sku, quantity: 2, reason: 'damaged', received: 2, condition: 'mixed' }],
      exchange: [],
      note: 'the handle broke',
      refund: { amount: 2500, currency: 'EUR' },
      warehouseId: WAREHOUSE,
      replacementOrderId: null,
    });
    expect(view.history.map((h) => h.status)).toEqual(['REQUESTED', 'APPROVED', 'RECEIVED', 'REFUNDED']);
    const history = await ds.query(
      'SELECT position, from_status, status, actor_kind, actor_id FROM returns_return_history WHERE return_id = $1 ORDER BY position',
      [requested.id],
    );
    expect(history.map((h: { actor_kind: string }) => h.actor_kind)).toEqual([
      'customer',
      'staff',
      'staff',
      'system',
    ]);
    const outbox: { type: string }[] = await ds.query(
      'SELECT type FROM outbox WHERE subject = $1 ORDER BY seq',
      [requested.id],
    );
    expect(outbox.map((e) => e.type)).toEqual([
      ReturnEventTypes.ReturnRequested,
      ReturnEventTypes.ReturnApproved,
      ReturnEventTypes.ReturnReceived,
      ReturnEventTypes.ReturnRefunded,
    ]);
    // the facade's reads on a caller's transaction, erasure of the note
    const summaries = await ds.transaction((m) => returns.facade.summariesOf([orderId], asHandle(m)));
    expect(summaries.get(orderId)).toEqual([
      {
        id: requested.id,
        number: view.number,
        status: 'REFUNDED',
        refund: { amount: 2500, currency: 'EUR' },
      },
    ]);
    expect(await ds.transaction((m) => returns.facade.replacementOrigin(orderId, asHandle(m)))).toBeNull();
    const customerId = owner.principal!.userId;
    expect((await returns.exportReturns.execute(customerId)).map((r) => r.note)).toEqual([
      'the handle broke',
    ]);
    expect(await ds.transaction((m) => returns.erase.execute(customerId, asHandle(m)))).toBe(1);
    expect((await returns.getReturn.execute(requested.id)).note).toBeNull();
  });

  it('pages the staff listing oldest first by keyset, filters combined, each return once', async () => {
    const created: string[] = [];
    const orderIds: string[] = [];
    for (let i = 0; i < 5; i++) {
      const { orderId, sku, owner } = await deliveredOrder(1);
      orderIds.push(orderId);
      created.push(
        (
          await returns.requestReturn.execute(orderId, owner, {
            lines: [{ sku, quantity: 1, reason: 'other' }],
          })
        ).id,
      );
      if (i !== 2) clock.advance(1000); // two with the same instant: the id breaks the tie
    }
    const seen: string[] = [];
    let page = await returns.listReturns.execute({ status: 'REQUESTED' }, 2, null);
    seen.push(...page.items.map((r) => r.id));
    while (page.next) {
      page = await returns.listReturns.execute({ status: 'REQUESTED' }, 2, page.next);
      seen.push(...page.items.map((r) => r.id));
    }
    const mine = seen.filter((id) => created.includes(id));
    expect(mine).toHaveLength(5);
    expect(new Set(seen).size).toBe(seen.length);
    expect(
      (await returns.listReturns.execute({ orderId: orderIds[3]! }, 10, null)).items.map((r) => r.id),
    ).toEqual([created[3]]);
    expect(
      (await returns.listReturns.execute({ orderId: orderIds[3]!, status: 'APPROVED' }, 10, null)).items,
    ).toEqual([]);
  });

  it('100 concurrent requests for one line of 3 delivered units (pool of 10): at most 3 units requested, every refusal a 409', async () => {
    const { orderId, sku, owner } = await deliveredOrder(3);
    const outcomes = await Promise.allSettled(
      Array.from({ length: 100 }, (_, i) =>
        returns.requestReturn.execute(orderId, owner, {
          lines: [{ sku, quantity: 1 + (i % 2), reason: 'no_longer_needed' }],
        }),
      ),
    );
    const refused = outcomes
      .filter((o) => o.status === 'rejected')
      .map((o) => (o as PromiseRejectedResult).reason);
    for (const err of refused) {
      expect(err, String(err)).toBeInstanceOf(AppError);
      expect((err as AppError).code).toBe('CONFLICT');
    }
    const accepted = outcomes
      .filter((o) => o.status === 'fulfilled')
      .map((o) => (o as PromiseFulfilledResult<{ lines: { quantity: number }[] }>).value);
    expect(accepted.length).toBeGreaterThan(0);
    const units = accepted.reduce((n, r) => n + r.lines[0]!.quantity, 0);
    expect(units).toBeLessThanOrEqual(3);
    const stored: { seq: number; number: string; lines: { quantity: number }[] }[] = await ds.query(
      'SELECT seq, number, lines FROM returns_returns WHERE order_id = $1 ORDER BY seq',
      [orderId],
    );
    expect(stored.reduce((n, r) => n + r.lines[0]!.quantity, 0)).toBe(units);
    expect(stored.map((r) => r.seq)).toEqual(stored.map((_, i) => i + 1));
  });

  it('refuses a second return with the same (order, seq) and a replacement order used twice (constraints)', async () => {
    const { orderId, sku, owner } = await deliveredOrder(2);
    const first = await returns.requestReturn.execute(orderId, owner, {
      lines: [{ sku, quantity: 1, reason: 'other' }],
    });
    await expect(
      ds.query(
        `INSERT INTO returns_returns (id, order_id, order_number, seq, number, currency, status, lines, created_at, updated_at)
         SELECT gen_random_uuid(), order_id, order_number, seq, number || 'x', currency, status, lines, now(), now()
         FROM returns_returns WHERE id = $1`,
        [first.id],
      ),
    ).rejects.toThrow(/returns_returns_order_seq_uq/);
    await expect(
      ds.query("UPDATE returns_returns SET status = 'EXCHANGED' WHERE id = $1", [first.id]),
    ).rejects.toThrow(/returns_returns_(receipt|replacement)_ck/);
  });
});
