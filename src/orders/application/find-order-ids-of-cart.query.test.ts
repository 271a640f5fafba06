import { describe, expect, it } from 'vitest';
import { inMemoryOrders, placed } from '../../../test/support/in-memory/orders.deps.js';
import { FindOrderIdsOfCart } from './find-order-ids-of-cart.query.js';

const CART = '5d2c7b1a-9e8f-4a6b-8c7d-0e1f2a3b4c5d';

describe('FindOrderIdsOfCart', () => {
  it('finds the orders placed from the cart, oldest first', async () => {
    const o = inMemoryOrders();
    const first = await placed(o, { cartId: CART }, 'CANCELLED');
    o.clock.advance(1_000);
    const second = await placed(o, { cartId: CART });
    await placed(o);
    expect(await new FindOrderIdsOfCart(o.deps).execute(CART)).toEqual([first, second]);
  });

  it('answers none for a cart without orders, and for an id that is not a UUID', async () => {
    const o = inMemoryOrders();
    await placed(o, { cartId: CART });
    const find = new FindOrderIdsOfCart(o.deps);
    expect(await find.execute('7d2c7b1a-9e8f-4a6b-8c7d-0e1f2a3b4c5d')).toEqual([]);
    expect(await find.execute('not-a-uuid')).toEqual([]);
  });
});
