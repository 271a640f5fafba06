import { describe, expect, it } from 'vitest';
import {
  deliveredOrder,
  inMemoryReturns,
  owner,
  requestedReturn,
} from '../../../test/support/in-memory/returns.deps.js';
import { ReturnOrderNotFoundError } from '../domain/returns.errors.js';
import { ListOrderReturns } from './list-order-returns.query.js';

describe('ListOrderReturns', () => {
  it('lists the order’s returns oldest first for its owner and for staff (admin, inventory manager)', async () => {
    const f = inMemoryReturns();
    const orderId = await deliveredOrder(f);
    const first = await requestedReturn(f, orderId, [{ sku: 'SKU-1', quantity: 1 }]);
    const second = await requestedReturn(f, orderId, [{ sku: 'SKU-2', quantity: 1 }]);
    const list = new ListOrderReturns(f.deps);
    expect((await list.execute(orderId, owner)).map((r) => r.id)).toEqual([first, second]);
    for (const role of ['admin', 'inventory_manager'] as const) {
      const staff = {
        principal: { ...owner.principal, userId: '6d6d6d6d-0000-4000-8000-000000000006', roles: [role] },
      };
      expect(await list.execute(orderId, staff)).toHaveLength(2);
    }
    expect(await list.execute(await deliveredOrder(f), owner)).toEqual([]);
  });

  it('lets a guest order’s email in (any case), and answers 404 to everyone else', async () => {
    const f = inMemoryReturns();
    const guestOrder = await deliveredOrder(f, { customerId: null, email: 'guest@example.com' });
    const list = new ListOrderReturns(f.deps);
    expect(await list.execute(guestOrder, { principal: null, email: 'Guest@Example.com' })).toEqual([]);
    await expect(
      list.execute(guestOrder, { principal: null, email: 'nope@example.com' }),
    ).rejects.toBeInstanceOf(ReturnOrderNotFoundError);
    await expect(list.execute(guestOrder, { principal: null })).rejects.toBeInstanceOf(
      ReturnOrderNotFoundError,
    );
    const customerOrder = await deliveredOrder(f);
    const stranger = { principal: { ...owner.principal, userId: '6d6d6d6d-0000-4000-8000-000000000006' } };
    await expect(list.execute(customerOrder, stranger)).rejects.toBeInstanceOf(ReturnOrderNotFoundError);
  });
});
