import { describe, expect, it } from 'vitest';
import { inMemoryOrders, placed } from '../../../test/support/in-memory/orders.deps.js';
import { OrderNotFoundError } from '../domain/orders.errors.js';
import { OrderReader } from './order-reader.service.js';
import { ViewAnyOrder } from './view-any-order.query.js';

describe('ViewAnyOrder', () => {
  it('shows any order, a customer’s or a guest’s', async () => {
    const o = inMemoryOrders();
    const mine = await placed(o);
    const guest = await placed(o, { customerId: null });
    const view = new ViewAnyOrder(new OrderReader(o.deps));
    expect((await view.execute(mine)).id).toBe(mine);
    expect((await view.execute(guest)).customerId).toBeNull();
  });

  it('answers 404 for an unknown order', async () => {
    const o = inMemoryOrders();
    await expect(
      new ViewAnyOrder(new OrderReader(o.deps)).execute('3f6c1d2e-8a4b-4c5d-9e0f-1a2b3c4d5e6f'),
    ).rejects.toBeInstanceOf(OrderNotFoundError);
  });
});
