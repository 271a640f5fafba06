import { describe, expect, it } from 'vitest';
import { callerTx, inMemoryOrders, placed } from '../../../test/support/in-memory/orders.deps.js';
import { IllegalStateTransitionError } from '../../platform/errors.js';
import { OrderEventTypes } from '../contract.js';
import { OrderNotFoundError } from '../domain/orders.errors.js';
import { GetOrder } from './get-order.query.js';
import { OrderReader } from './order-reader.service.js';
import { TransitionOrder } from './transition-order.use-case.js';

const system = { actor: { kind: 'system' as const } };

describe('TransitionOrder', () => {
  it('moves through several statuses in turn, one history row each, and writes the event of each status that has one', async () => {
    const o = inMemoryOrders();
    const id = await placed(o);
    const order = await new TransitionOrder(o.deps).execute(
      id,
      ['PAYMENT_AUTHORIZED', 'CONFIRMED'],
      system,
      callerTx(),
    );
    expect(order.status).toBe('CONFIRMED');
    expect(order.history.map((h) => h.status)).toEqual([
      'CREATED',
      'PAYMENT_PENDING',
      'PAYMENT_AUTHORIZED',
      'CONFIRMED',
    ]);
    expect(o.uow.eventTypes()).toEqual([OrderEventTypes.OrderPlaced, OrderEventTypes.OrderConfirmed]);
    expect((await o.repos.orders.find(id))?.status).toBe('CONFIRMED');
  });

  it('keeps the actor and reason of a move in its history row and the reason in the event', async () => {
    const o = inMemoryOrders();
    const id = await placed(o);
    const admin = { kind: 'admin' as const, id: '9b1e2c1a-0f7c-4e0e-9d8a-3d1f7a2b6c11' };
    const order = await new TransitionOrder(o.deps).execute(
      id,
      'CANCELLED',
      { actor: admin, reason: 'customer request' },
      callerTx(),
    );
    expect(order.history.at(-1)).toMatchObject({
      status: 'CANCELLED',
      actor: admin,
      reason: 'customer request',
    });
    expect(o.uow.events.at(-1)).toMatchObject({
      type: OrderEventTypes.OrderCancelled,
      data: { orderId: id, reason: 'customer request' },
    });
  });

  it('refuses a move the transition table does not allow with 409 ILLEGAL_STATE_TRANSITION, and saves nothing', async () => {
    const o = inMemoryOrders();
    const id = await placed(o);
    await expect(
      new TransitionOrder(o.deps).execute(id, 'SHIPPED', system, callerTx()),
    ).rejects.toBeInstanceOf(IllegalStateTransitionError);
    expect((await o.repos.orders.find(id))?.status).toBe('PAYMENT_PENDING');
    expect(o.uow.eventTypes()).toEqual([OrderEventTypes.OrderPlaced]);
  });

  it('refuses staying put (PAYMENT_PENDING → PAYMENT_PENDING) as an illegal move', async () => {
    const o = inMemoryOrders();
    const id = await placed(o);
    await expect(
      new TransitionOrder(o.deps).execute(id, 'PAYMENT_PENDING', system, callerTx()),
    ).rejects.toBeInstanceOf(IllegalStateTransitionError);
  });

  it('answers 404 for an unknown order', async () => {
    const o = inMemoryOrders();
    await expect(
      new TransitionOrder(o.deps).execute(
        '3f6c1d2e-8a4b-4c5d-9e0f-1a2b3c4d5e6f',
        'CANCELLED',
        system,
        callerTx(),
      ),
    ).rejects.toBeInstanceOf(OrderNotFoundError);
  });

  it('locks the order it moves (reads it for update)', async () => {
    const o = inMemoryOrders();
    const id = await placed(o);
    await new TransitionOrder(o.deps).execute(id, 'CANCELLED', system, callerTx());
    expect(o.repos.orders.locks).toEqual([id]);
  });

  it('starts from the order its transaction locked and read just before, without reading it again', async () => {
    const o = inMemoryOrders();
    const id = await placed(o);
    const tx = callerTx();
    await new GetOrder(o.deps, new OrderReader(o.deps)).execute(id, tx);
    await new TransitionOrder(o.deps).execute(id, 'CANCELLED', system, tx);
    expect(o.repos.orders.locks).toEqual([id]);
    // another transaction's move reads it again
    await expect(new TransitionOrder(o.deps).execute(id, 'CANCELLED', system, tx)).rejects.toBeInstanceOf(
      IllegalStateTransitionError,
    );
    expect(o.repos.orders.locks).toEqual([id, id]);
  });

  it('counts the moves into statuses with an event once the transaction commits, not before', async () => {
    const o = inMemoryOrders();
    const id = await placed(o);
    o.commit();
    o.counted.length = 0;
    await new TransitionOrder(o.deps).execute(id, ['PAYMENT_AUTHORIZED', 'CONFIRMED'], system, callerTx());
    expect(o.counted).toEqual([]);
    o.commit();
    expect(o.counted).toEqual(['confirmed']);
  });
});
