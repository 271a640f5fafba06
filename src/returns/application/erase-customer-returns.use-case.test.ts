import { describe, expect, it } from 'vitest';
import {
  CUSTOMER,
  callerTx,
  deliveredOrder,
  inMemoryReturns,
  owner,
} from '../../../test/support/in-memory/returns.deps.js';
import { EraseCustomerReturns } from './erase-customer-returns.use-case.js';
import { RequestReturn } from './request-return.use-case.js';

describe('EraseCustomerReturns', () => {
  it('erases the note of every return of the customer, keeps the rest, and is idempotent; no event', async () => {
    const f = inMemoryReturns();
    const orderId = await deliveredOrder(f);
    const request = new RequestReturn(f.deps);
    const a = await request.execute(orderId, owner, {
      lines: [{ sku: 'SKU-1', quantity: 1, reason: 'other' }],
      note: 'call me on 0123',
    });
    const b = await request.execute(orderId, owner, {
      lines: [{ sku: 'SKU-2', quantity: 1, reason: 'other' }],
    });
    const someoneElse = await deliveredOrder(f, { customerId: null, email: 'x@example.com' });
    const c = await request.execute(
      someoneElse,
      { principal: null, email: 'x@example.com' },
      { lines: [{ sku: 'SKU-1', quantity: 1, reason: 'other' }], note: 'keep me' },
    );
    f.uow.events.length = 0;
    const erase = new EraseCustomerReturns(f.deps);
    expect(await erase.execute(CUSTOMER, callerTx())).toBe(1);
    expect(await erase.execute(CUSTOMER, callerTx())).toBe(0);
    expect(f.repos.returns.rows.get(a.id)).toMatchObject({
      note: null,
      customerId: CUSTOMER,
      status: 'REQUESTED',
    });
    expect(f.repos.returns.rows.get(b.id)!.note).toBeNull();
    expect(f.repos.returns.rows.get(c.id)!.note).toBe('keep me');
    expect(f.uow.events).toEqual([]);
  });
});
