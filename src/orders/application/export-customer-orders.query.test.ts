import { describe, expect, it } from 'vitest';
import { inMemoryOrders, placed } from '../../../test/support/in-memory/orders.deps.js';
import { ExportCustomerOrders } from './export-customer-orders.query.js';

const CUSTOMER = '0c9a4f52-1d3b-4e8f-a6b7-2c1d0e9f8a7b';

describe('ExportCustomerOrders', () => {
  it('lists every order of the customer, newest first, and no one else’s', async () => {
    const o = inMemoryOrders();
    const first = await placed(o, { customerId: CUSTOMER });
    o.clock.advance(60_000);
    const second = await placed(o, { customerId: CUSTOMER });
    await placed(o);
    const rows = await new ExportCustomerOrders(o.deps).execute(CUSTOMER);
    expect(rows.map((r) => r.id)).toEqual([second, first]);
  });

  it('includes the personal data the order holds, every address field present (absent ones null)', async () => {
    const o = inMemoryOrders();
    await placed(o, { customerId: CUSTOMER });
    const [row] = await new ExportCustomerOrders(o.deps).execute(CUSTOMER);
    expect(row).toMatchObject({
      email: 'ada@orders.example',
      shippingAddress: { name: 'Ada Lovelace', line1: '12 Analytical Row', line2: null, phone: null },
      status: 'PAYMENT_PENDING',
      currency: 'EUR',
    });
    expect(row!.history).toEqual([
      { status: 'CREATED', at: '2026-03-01T10:00:00.000Z', reason: null },
      { status: 'PAYMENT_PENDING', at: '2026-03-01T10:00:00.000Z', reason: null },
    ]);
  });

  it('shows an erased order without email or address', async () => {
    const o = inMemoryOrders();
    await placed(o, { customerId: CUSTOMER });
    await o.repos.orders.eraseCustomer(CUSTOMER, o.clock.now());
    const [row] = await new ExportCustomerOrders(o.deps).execute(CUSTOMER);
    expect(row).toMatchObject({ email: null, shippingAddress: null });
  });
});
