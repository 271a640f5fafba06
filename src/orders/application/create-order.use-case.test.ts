import { describe, expect, it } from 'vitest';
import { actorOf, aNewOrder, callerTx, inMemoryOrders } from '../../../test/support/in-memory/orders.deps.js';
import { ConflictError } from '../../platform/errors.js';
import { OrderEventTypes } from '../contract.js';
import { CreateOrder } from './create-order.use-case.js';

describe('CreateOrder', () => {
  it('numbers orders from the region’s sequence: EU-000001, then EU-000002', async () => {
    const o = inMemoryOrders();
    const create = new CreateOrder(o.deps);
    const a = aNewOrder();
    const b = aNewOrder();
    expect((await create.execute(a, actorOf(a), callerTx())).number).toBe('EU-000001');
    expect((await create.execute(b, actorOf(b), callerTx())).number).toBe('EU-000002');
  });

  it('places the order PAYMENT_PENDING with two history rows (CREATED, PAYMENT_PENDING) by the placing actor', async () => {
    const o = inMemoryOrders();
    const input = aNewOrder();
    const order = await new CreateOrder(o.deps).execute(input, actorOf(input), callerTx());
    expect(order.status).toBe('PAYMENT_PENDING');
    expect(order.history.map((h) => [h.status, h.actor])).toEqual([
      ['CREATED', { kind: 'customer', id: input.customerId }],
      ['PAYMENT_PENDING', { kind: 'customer', id: input.customerId }],
    ]);
    expect(order.history.every((h) => h.at.getTime() === o.clock.now().getTime())).toBe(true);
    expect((await o.repos.orders.find(input.id))?.status).toBe('PAYMENT_PENDING');
  });

  it('puts OrderPlaced in the outbox with ids and amounts, never the email or address', async () => {
    const o = inMemoryOrders();
    const input = aNewOrder();
    await new CreateOrder(o.deps).execute(input, actorOf(input), callerTx());
    expect(o.uow.eventTypes()).toEqual([OrderEventTypes.OrderPlaced]);
    const data = o.uow.events[0]!.data;
    expect(data).toMatchObject({
      orderId: input.id,
      number: 'EU-000001',
      total: input.total,
      currency: 'EUR',
    });
    expect(JSON.stringify(data)).not.toContain(input.email);
    expect(JSON.stringify(data)).not.toContain('Analytical');
  });

  it('refuses the same id twice with 409 CONFLICT, keeping the first order and writing no second event', async () => {
    const o = inMemoryOrders();
    const create = new CreateOrder(o.deps);
    const input = aNewOrder();
    await create.execute(input, actorOf(input), callerTx());
    await expect(
      create.execute({ ...input, email: 'someone@else.example' }, actorOf(input), callerTx()),
    ).rejects.toBeInstanceOf(ConflictError);
    expect(o.repos.orders.rows.size).toBe(1);
    expect(o.repos.orders.rows.get(input.id)?.email).toBe(input.email);
    expect(o.uow.eventTypes()).toEqual([OrderEventTypes.OrderPlaced]);
  });

  it('counts the order as placed only once the caller’s transaction commits', async () => {
    const o = inMemoryOrders();
    const input = aNewOrder();
    await new CreateOrder(o.deps).execute(input, actorOf(input), callerTx());
    expect(o.counted).toEqual([]);
    o.commit();
    expect(o.counted).toEqual(['placed']);
  });
});
