import { describe, expect, it } from 'vitest';
import {
  DAY,
  deliveredOrder,
  inMemoryReturns,
  owner,
  requestedReturn,
} from '../../../test/support/in-memory/returns.deps.js';
import { OrderEventTypes } from '../../orders/contract.js';
import { CancelReturn } from './cancel-return.use-case.js';
import { CompleteDeliveredOrders } from './complete-delivered-orders.use-case.js';

describe('CompleteDeliveredOrders', () => {
  it('completes a delivered order once the window after its last delivery has passed, with OrderCompleted', async () => {
    const f = inMemoryReturns(30);
    const orderId = await deliveredOrder(f);
    const complete = new CompleteDeliveredOrders(f.deps);
    f.orders.clock.advance(30 * DAY - 1);
    expect(await complete.execute()).toBe(0);
    f.orders.clock.advance(1);
    f.orders.uow.events.length = 0;
    expect(await complete.execute()).toBe(1);
    const order = (await f.orders.facade.get(orderId))!;
    expect(order.status).toBe('COMPLETED');
    expect(order.history.at(-1)).toMatchObject({ reason: 'return window closed', actor: { kind: 'system' } });
    expect(f.orders.uow.eventTypes()).toEqual([OrderEventTypes.OrderCompleted]);
    expect(await complete.execute()).toBe(0);
  });

  it('waits while a return is open, and completes once it is settled', async () => {
    const f = inMemoryReturns(30);
    const orderId = await deliveredOrder(f);
    const id = await requestedReturn(f, orderId);
    f.orders.clock.advance(31 * DAY);
    const complete = new CompleteDeliveredOrders(f.deps);
    expect(await complete.execute()).toBe(0);
    await new CancelReturn(f.deps, f.moves).execute(orderId, id, owner);
    expect(await complete.execute()).toBe(1);
  });

  it('counts the window from the last delivery, not the first', async () => {
    const f = inMemoryReturns(10);
    const orderId = await deliveredOrder(f);
    const [first] = f.shipments.get(orderId)!;
    f.shipments.set(orderId, [
      { ...first!, deliveredAt: new Date(f.orders.clock.now().getTime() - 5 * DAY) },
      { ...first!, id: crypto.randomUUID(), deliveredAt: f.orders.clock.now() },
    ]);
    f.orders.clock.advance(6 * DAY);
    expect(await new CompleteDeliveredOrders(f.deps).execute()).toBe(0);
    f.orders.clock.advance(4 * DAY);
    expect(await new CompleteDeliveredOrders(f.deps).execute()).toBe(1);
  });

  it('with a window of 0 completes at the first tick after delivery; shipped orders are left alone', async () => {
    const f = inMemoryReturns(0);
    const delivered = await deliveredOrder(f);
    const shipped = await deliveredOrder(f, {}, { status: 'SHIPPED' });
    expect(await new CompleteDeliveredOrders(f.deps).execute()).toBe(1);
    expect((await f.orders.facade.get(delivered))!.status).toBe('COMPLETED');
    expect((await f.orders.facade.get(shipped))!.status).toBe('SHIPPED');
  });
});
