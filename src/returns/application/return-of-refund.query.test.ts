import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  approvedReturn,
  deliveredOrder,
  inMemoryReturns,
  STAFF,
  WAREHOUSE,
} from '../../../test/support/in-memory/returns.deps.js';
import { ReceiveReturn } from './receive-return.use-case.js';
import { ReturnOfRefund } from './return-of-refund.query.js';

describe('ReturnOfRefund', () => {
  it('names the return a refund was asked for; null for any other refund id, or one that is not a UUID', async () => {
    const f = inMemoryReturns();
    const orderId = await deliveredOrder(f);
    const id = await approvedReturn(f, orderId, [{ sku: 'SKU-1', quantity: 1 }]);
    await new ReceiveReturn(f.deps, f.moves, f.refunds, f.complete).execute(
      id,
      { warehouseId: WAREHOUSE, lines: [{ sku: 'SKU-1', quantity: 1, condition: 'resellable' }] },
      STAFF,
    );
    const [asked] = f.payments.asked;
    expect(asked).toBeDefined();
    const query = new ReturnOfRefund(f.deps);
    expect(await query.execute(asked!.refundId)).toEqual({
      returnId: id,
      number: 'EU-000001-R1',
      orderId,
      exchange: false,
    });
    expect(await query.execute(randomUUID())).toBeNull();
    expect(await query.execute('not-a-uuid')).toBeNull();
  });
});
