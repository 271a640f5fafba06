import { describe, expect, it } from 'vitest';
import {
  CUSTOMER,
  deliveredOrder,
  inMemoryReturns,
  owner,
} from '../../../test/support/in-memory/returns.deps.js';
import { ExportCustomerReturns } from './export-customer-returns.query.js';
import { RequestReturn } from './request-return.use-case.js';

describe('ExportCustomerReturns', () => {
  it('exports every return of the customer, newest first, with the note they wrote', async () => {
    const f = inMemoryReturns();
    const orderId = await deliveredOrder(f);
    const request = new RequestReturn(f.deps);
    await request.execute(orderId, owner, {
      lines: [{ sku: 'SKU-1', quantity: 1, reason: 'damaged' }],
      note: 'torn',
    });
    f.orders.clock.advance(1000);
    await request.execute(orderId, owner, { lines: [{ sku: 'SKU-2', quantity: 1, reason: 'other' }] });
    const exported = await new ExportCustomerReturns(f.deps).execute(CUSTOMER);
    expect(exported.map((r) => [r.number, r.note])).toEqual([
      ['EU-000001-R2', null],
      ['EU-000001-R1', 'torn'],
    ]);
    expect(exported[1]).toMatchObject({
      orderId,
      status: 'REQUESTED',
      lines: [{ sku: 'SKU-1', quantity: 1 }],
    });
    expect(await new ExportCustomerReturns(f.deps).execute('2e2e2e2e-0000-4000-8000-000000000002')).toEqual(
      [],
    );
  });
});
