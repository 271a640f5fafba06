import { describe, expect, it } from 'vitest';
import { callerTx, inMemoryOrders, placed } from '../../../test/support/in-memory/orders.deps.js';
import { GetOrder } from './get-order.query.js';
import { OrderReader } from './order-reader.service.js';

const getOrder = (o: ReturnType<typeof inMemoryOrders>) => new GetOrder(o.deps, new OrderReader(o.deps));

describe('GetOrder', () => {
  it('answers the order as other contexts see it', async () => {
    const o = inMemoryOrders();
    const id = await placed(o);
    const order = await getOrder(o).execute(id);
    expect(order).toMatchObject({
      id,
      number: 'EU-000001',
      status: 'PAYMENT_PENDING',
      email: 'ada@orders.example',
    });
    expect(order!.history).toHaveLength(2);
  });

  it('answers null for an unknown order and for an id that is not a UUID', async () => {
    const o = inMemoryOrders();
    expect(await getOrder(o).execute('3f6c1d2e-8a4b-4c5d-9e0f-1a2b3c4d5e6f')).toBeNull();
    expect(await getOrder(o).execute('EU-000001')).toBeNull();
  });

  it('locks the order inside the caller’s transaction, and only there', async () => {
    const o = inMemoryOrders();
    const id = await placed(o);
    await getOrder(o).execute(id);
    expect(o.repos.orders.locks).toEqual([]);
    await getOrder(o).execute(id, callerTx());
    expect(o.repos.orders.locks).toEqual([id]);
  });

  it('remembers what it locked for the same transaction’s next move of the order', async () => {
    const o = inMemoryOrders();
    const id = await placed(o);
    const tx = callerTx();
    await getOrder(o).execute(id, tx);
    expect(o.deps.locked.take(tx, id)?.id).toBe(id);
    expect(o.deps.locked.take(callerTx(), id)).toBeUndefined();
  });
});
