import { describe, expect, it } from 'vitest';
import { callerTx, inMemoryOrders, placed } from '../../../test/support/in-memory/orders.deps.js';
import type { OrderPaymentSummary, OrderReturnSummary, OrderShipmentSummary } from '../contract.js';
import { GetOrderView } from './get-order-view.query.js';
import { OrderReader } from './order-reader.service.js';

const payment: OrderPaymentSummary = {
  status: 'AUTHORIZED',
  brand: 'visa',
  last4: '4242',
  authorized: { amount: 3494, currency: 'EUR' },
  captured: { amount: 0, currency: 'EUR' },
  refunded: { amount: 0, currency: 'EUR' },
};
const shipment: OrderShipmentSummary = {
  id: '1a2b3c4d-5e6f-4a0b-8c1d-2e3f4a5b6c7d',
  status: 'pending',
  warehouseId: '2b3c4d5e-6f7a-4b1c-9d2e-3f4a5b6c7d8e',
  trackingNumber: null,
};
const refunded: OrderReturnSummary = {
  id: '3c4d5e6f-7a8b-4c2d-8e3f-4a5b6c7d8e9f',
  number: 'EU-000001-R1',
  status: 'REFUNDED',
  refund: { amount: 1299, currency: 'EUR' },
};
const requested: OrderReturnSummary = {
  id: '4d5e6f7a-8b9c-4d3e-9f4a-5b6c7d8e9fa0',
  number: 'EU-000001-R2',
  status: 'REQUESTED',
  refund: null,
};

describe('GetOrderView', () => {
  it('renders the docs/product/api.md view with money objects, ISO instants, and the payment, shipments and returns the sources report', async () => {
    const asked: unknown[] = [];
    const o = inMemoryOrders({
      payments: async (ids, tx) => {
        asked.push(['payments', ids, tx]);
        return new Map(ids.map((id) => [id, payment]));
      },
      shipments: async (ids, tx) => {
        asked.push(['shipments', ids, tx]);
        return new Map(ids.map((id) => [id, [shipment]]));
      },
      returns: async (ids, tx) => {
        asked.push(['returns', ids, tx]);
        return new Map(ids.map((id) => [id, [refunded, requested]]));
      },
    });
    const id = await placed(o);
    const tx = callerTx();
    const view = await new GetOrderView(new OrderReader(o.deps)).execute(id, tx);
    expect(view).toMatchObject({
      id,
      status: 'PAYMENT_PENDING',
      total: { amount: o.repos.orders.rows.get(id)!.total, currency: 'EUR' },
      payment,
      shipments: [shipment],
      createdAt: '2026-03-01T10:00:00.000Z',
      shippingAddress: { line2: null, phone: null },
    });
    // exactly the four fields of docs/product/api.md, in the order the source reports them
    expect(view?.returns).toEqual([refunded, requested]);
    // every source read once, on the caller's transaction
    expect(asked).toEqual([
      ['payments', [id], tx],
      ['shipments', [id], tx],
      ['returns', [id], tx],
    ]);
  });

  it('reads the returns of a batch of orders in one call, each order with its own', async () => {
    const calls: string[][] = [];
    const o = inMemoryOrders({
      returns: async (ids) => {
        calls.push([...ids]);
        return new Map([[ids[0]!, [refunded]]]);
      },
    });
    const first = await placed(o);
    const second = await placed(o);
    const reader = new OrderReader(o.deps);
    const orders = await Promise.all([reader.load(first), reader.load(second)]);
    const views = await reader.views(orders.filter((x) => x !== null));
    expect(calls).toEqual([[first, second]]);
    expect(views.map((v) => v.returns)).toEqual([[refunded], []]);
  });

  it('shows no payment, no shipments and no returns when the sources have none', async () => {
    const o = inMemoryOrders();
    const id = await placed(o);
    const view = await new GetOrderView(new OrderReader(o.deps)).execute(id);
    expect(view).toMatchObject({ payment: null, shipments: [], returns: [] });
  });

  it('reads without a lock, even inside the caller’s transaction', async () => {
    const o = inMemoryOrders();
    const id = await placed(o);
    await new GetOrderView(new OrderReader(o.deps)).execute(id, callerTx());
    expect(o.repos.orders.locks).toEqual([]);
  });

  it('answers null for an unknown order', async () => {
    const o = inMemoryOrders();
    expect(
      await new GetOrderView(new OrderReader(o.deps)).execute('3f6c1d2e-8a4b-4c5d-9e0f-1a2b3c4d5e6f'),
    ).toBeNull();
  });
});
