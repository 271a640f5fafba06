import { describe, expect, it } from 'vitest';
import { callerTx, inMemoryOrders, placed } from '../../../test/support/in-memory/orders.deps.js';
import { EraseCustomerOrders } from './erase-customer-orders.use-case.js';

const CUSTOMER = '0c9a4f52-1d3b-4e8f-a6b7-2c1d0e9f8a7b';

describe('EraseCustomerOrders', () => {
  it('removes the email and shipping address of every order of the customer, keeping numbers, amounts, lines and status', async () => {
    const o = inMemoryOrders();
    const a = await placed(o, { customerId: CUSTOMER });
    const b = await placed(o, { customerId: CUSTOMER }, 'CANCELLED');
    const before = o.repos.orders.rows.get(a)!;
    expect(await new EraseCustomerOrders(o.deps).execute(CUSTOMER, callerTx())).toBe(2);
    for (const id of [a, b]) {
      const s = (await o.repos.orders.find(id))!.snapshot();
      expect(s.email).toBeNull();
      expect(s.shippingAddress).toBeNull();
    }
    const after = o.repos.orders.rows.get(a)!;
    expect(after).toMatchObject({
      number: before.number,
      total: before.total,
      lines: before.lines,
      status: before.status,
    });
    expect(o.repos.orders.rows.get(b)!.status).toBe('CANCELLED');
  });

  it('leaves other customers’ orders alone', async () => {
    const o = inMemoryOrders();
    const other = await placed(o);
    await new EraseCustomerOrders(o.deps).execute(CUSTOMER, callerTx());
    expect(o.repos.orders.rows.get(other)!.email).toBe('ada@orders.example');
  });

  it('is idempotent: erased orders are not touched again', async () => {
    const o = inMemoryOrders();
    await placed(o, { customerId: CUSTOMER });
    const erase = new EraseCustomerOrders(o.deps);
    expect(await erase.execute(CUSTOMER, callerTx())).toBe(1);
    expect(await erase.execute(CUSTOMER, callerTx())).toBe(0);
  });

  it('writes no event: nothing other contexts need changed', async () => {
    const o = inMemoryOrders();
    await placed(o, { customerId: CUSTOMER });
    const before = o.uow.events.length;
    await new EraseCustomerOrders(o.deps).execute(CUSTOMER, callerTx());
    expect(o.uow.events).toHaveLength(before);
  });
});
