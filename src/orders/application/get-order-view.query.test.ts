import { describe, expect, it } from 'vitest';
import { callerTx, inMemoryOrders, placed } from '../../../test/support/in-memory/orders.deps.js';
import type { OrderPaymentSummary, OrderShipmentSummary } from '../contract.js';
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

describe('GetOrderView', () => {
  it('renders the docs/product/api.md view with money objects, ISO instants, and the payment and shipments the sources report', async () => {
    const asked: unknown[] = [];
    const o = inMemoryOrders({
      payments: async (ids, tx) => {
        asked.push(['payments', ids, tx]);
        return new Map(ids.map((id) => [id, payment]));
      },
      shipments: async (ids) => new Map(ids.map((id) => [id, [shipment]])),
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
    expect(asked).toEqual([['payments', [id], tx]]);
  });

  it('shows no payment and no shipments when the sources have none', async () => {
    const o = inMemoryOrders();
    const id = await placed(o);
    const view = await new GetOrderView(new OrderReader(o.deps)).execute(id);
    expect(view).toMatchObject({ payment: null, shipments: [] });
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
