import { describe, expect, it } from 'vitest';
import {
  approvedReturn,
  callerTx,
  deliveredOrder,
  inMemoryReturns,
  quiet,
  STAFF,
  WAREHOUSE,
} from '../../../test/support/in-memory/returns.deps.js';
import { ReturnEventTypes } from '../contract.js';
import { ReceiveReturn } from './receive-return.use-case.js';

const receivedWhileDown = async () => {
  const f = inMemoryReturns();
  const id = await approvedReturn(f, await deliveredOrder(f));
  f.payments.down = true;
  await new ReceiveReturn(f.deps, f.moves, f.refunds, f.complete).execute(
    id,
    { warehouseId: WAREHOUSE, lines: [{ sku: 'SKU-1', quantity: 1, condition: 'resellable' }] },
    STAFF,
  );
  quiet(f);
  return { f, id, refundId: f.repos.returns.rows.get(id)!.refundId! };
};

describe('CompleteReturnRefund', () => {
  it('moves the return of the refund RECEIVED → REFUNDED with the refunded amount, in the consumer’s transaction', async () => {
    const { f, id, refundId } = await receivedWhileDown();
    const view = await f.complete.execute({ refundId, amount: 1250 }, callerTx());
    expect(view).toMatchObject({ id, status: 'REFUNDED', refund: { amount: 1250, currency: 'EUR' } });
    expect(f.uow.eventTypes()).toEqual([ReturnEventTypes.ReturnRefunded]);
    expect(f.counted).toEqual(['REFUNDED:damaged']);
    expect(f.refundedTotal).toEqual([{ amount: 1250, currency: 'EUR' }]);
    expect(f.repos.returns.locks).toContain(`refund:${refundId}`);
  });

  it('is idempotent: the same refund again changes nothing, and a refund of no return is ignored', async () => {
    const { f, refundId } = await receivedWhileDown();
    await f.complete.execute({ refundId, amount: 1250 });
    quiet(f);
    expect((await f.complete.execute({ refundId, amount: 1250 }))?.status).toBe('REFUNDED');
    expect(
      await f.complete.execute({ refundId: '1d1d1d1d-0000-4000-8000-000000000001', amount: 10 }),
    ).toBeNull();
    expect(f.uow.events).toEqual([]);
    expect(f.refundedTotal).toEqual([]);
  });
});
