import { describe, expect, it } from 'vitest';
import { inMemoryOrders, placed } from '../../../test/support/in-memory/orders.deps.js';
import { ListOrders } from './list-orders.query.js';
import { OrderReader } from './order-reader.service.js';

const CUSTOMER = '0c9a4f52-1d3b-4e8f-a6b7-2c1d0e9f8a7b';

describe('ListOrders', () => {
  it('lists newest first, page by page, every order once', async () => {
    const o = inMemoryOrders();
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) {
      ids.push(await placed(o));
      o.clock.advance(1_000);
    }
    const list = new ListOrders(o.deps, new OrderReader(o.deps));
    const seen: string[] = [];
    let page = await list.execute({}, 2, null);
    seen.push(...page.items.map((v) => v.id));
    while (page.next) {
      // an order placed meanwhile does not shift the pages
      await placed(o);
      page = await list.execute({}, 2, page.next);
      seen.push(...page.items.map((v) => v.id));
    }
    expect(seen).toEqual([...ids].reverse());
  });

  it('ends with a null next position on the last page', async () => {
    const o = inMemoryOrders();
    await placed(o);
    const page = await new ListOrders(o.deps, new OrderReader(o.deps)).execute({}, 2, null);
    expect(page.items).toHaveLength(1);
    expect(page.next).toBeNull();
  });

  it('combines the filters: status, customer and creation window (from inclusive, to exclusive)', async () => {
    const o = inMemoryOrders();
    const from = o.clock.now();
    const mine = await placed(o, { customerId: CUSTOMER });
    await placed(o, { customerId: CUSTOMER }, 'CANCELLED');
    await placed(o);
    o.clock.advance(60_000);
    const to = o.clock.now();
    await placed(o, { customerId: CUSTOMER });
    const page = await new ListOrders(o.deps, new OrderReader(o.deps)).execute(
      { status: 'PAYMENT_PENDING', customerId: CUSTOMER, from, to },
      10,
      null,
    );
    expect(page.items.map((v) => v.id)).toEqual([mine]);
  });
});
