import { describe, expect, it } from 'vitest';
import { inMemoryOrders, placed } from '../../../test/support/in-memory/orders.deps.js';
import { ListCustomerOrders } from './list-customer-orders.query.js';
import { OrderReader } from './order-reader.service.js';

const CUSTOMER = '0c9a4f52-1d3b-4e8f-a6b7-2c1d0e9f8a7b';

describe('ListCustomerOrders', () => {
  it('lists the customer’s own orders only, newest first, as docs/product/api.md views', async () => {
    const o = inMemoryOrders();
    const first = await placed(o, { customerId: CUSTOMER });
    o.clock.advance(1_000);
    await placed(o);
    const second = await placed(o, { customerId: CUSTOMER }, 'CANCELLED');
    const page = await new ListCustomerOrders(o.deps, new OrderReader(o.deps)).execute(CUSTOMER, 10, null);
    expect(page.items.map((v) => [v.id, v.status])).toEqual([
      [second, 'CANCELLED'],
      [first, 'PAYMENT_PENDING'],
    ]);
    expect(page.next).toBeNull();
  });

  it('continues after the position of the previous page’s last order', async () => {
    const o = inMemoryOrders();
    const first = await placed(o, { customerId: CUSTOMER });
    o.clock.advance(1_000);
    await placed(o, { customerId: CUSTOMER });
    const list = new ListCustomerOrders(o.deps, new OrderReader(o.deps));
    const page = await list.execute(CUSTOMER, 1, null);
    expect(page.next).not.toBeNull();
    const next = await list.execute(CUSTOMER, 1, page.next);
    expect(next.items.map((v) => v.id)).toEqual([first]);
  });
});
