import { describe, expect, it } from 'vitest';
import { inMemoryOrders, placed } from '../../../test/support/in-memory/orders.deps.js';
import type { Principal } from '../../platform/principal.js';
import { OrderNotFoundError } from '../domain/orders.errors.js';
import { OrderReader } from './order-reader.service.js';
import { ViewOrder } from './view-order.query.js';

const CUSTOMER = '0c9a4f52-1d3b-4e8f-a6b7-2c1d0e9f8a7b';
const customer = (userId: string): Principal => ({ userId, roles: ['customer'] }) as unknown as Principal;
const staff = (role: string): Principal =>
  ({ userId: '8e7d6c5b-4a39-4281-9f0e-1d2c3b4a5968', roles: [role] }) as unknown as Principal;

describe('ViewOrder', () => {
  it('shows a customer their own order', async () => {
    const o = inMemoryOrders();
    const id = await placed(o, { customerId: CUSTOMER });
    const view = await new ViewOrder(new OrderReader(o.deps)).execute(id, { principal: customer(CUSTOMER) });
    expect(view.id).toBe(id);
  });

  it('answers another customer’s order with the 404 of an unknown one', async () => {
    const o = inMemoryOrders();
    const id = await placed(o, { customerId: CUSTOMER });
    const view = new ViewOrder(new OrderReader(o.deps));
    await expect(
      view.execute(id, { principal: customer('1f2e3d4c-5b6a-4798-8877-665544332211') }),
    ).rejects.toBeInstanceOf(OrderNotFoundError);
    await expect(view.execute(id, { principal: null })).rejects.toBeInstanceOf(OrderNotFoundError);
  });

  it('shows a guest order to whoever gives its email, in any case, and to no one else', async () => {
    const o = inMemoryOrders();
    const id = await placed(o, { customerId: null, email: 'guest@orders.example' });
    const view = new ViewOrder(new OrderReader(o.deps));
    expect((await view.execute(id, { principal: null, email: ' Guest@Orders.Example ' })).id).toBe(id);
    await expect(view.execute(id, { principal: null, email: 'other@orders.example' })).rejects.toBeInstanceOf(
      OrderNotFoundError,
    );
    await expect(view.execute(id, { principal: null })).rejects.toBeInstanceOf(OrderNotFoundError);
  });

  it('shows any order to staff: admins and inventory managers', async () => {
    const o = inMemoryOrders();
    const id = await placed(o, { customerId: CUSTOMER });
    const view = new ViewOrder(new OrderReader(o.deps));
    expect((await view.execute(id, { principal: staff('admin') })).id).toBe(id);
    expect((await view.execute(id, { principal: staff('inventory_manager') })).id).toBe(id);
  });

  it('answers 404 for an unknown order, even to staff', async () => {
    const o = inMemoryOrders();
    await expect(
      new ViewOrder(new OrderReader(o.deps)).execute('3f6c1d2e-8a4b-4c5d-9e0f-1a2b3c4d5e6f', {
        principal: staff('admin'),
      }),
    ).rejects.toBeInstanceOf(OrderNotFoundError);
  });
});
