import { describe, expect, it } from 'vitest';
import {
  approvedReturn,
  deliveredOrder,
  inMemoryReturns,
  quiet,
  requestedReturn,
  STAFF,
} from '../../../test/support/in-memory/returns.deps.js';
import { IllegalStateTransitionError } from '../../platform/errors.js';
import { ReturnEventTypes } from '../contract.js';
import { RejectReturn } from './reject-return.use-case.js';

describe('RejectReturn', () => {
  it('rejects a requested return with its reason: REJECTED, ReturnRejected with the reason, and its units free again', async () => {
    const f = inMemoryReturns();
    const orderId = await deliveredOrder(f);
    const id = await requestedReturn(f, orderId, [{ sku: 'SKU-1', quantity: 2 }]);
    quiet(f);
    const view = await new RejectReturn(f.deps, f.moves).execute(id, 'worn and washed', STAFF);
    expect(view).toMatchObject({
      status: 'REJECTED',
      history: [{}, { status: 'REJECTED', reason: 'worn and washed' }],
    });
    expect(f.uow.eventTypes()).toEqual([ReturnEventTypes.ReturnRejected]);
    expect(f.uow.events[0]!.data).toMatchObject({ reason: 'worn and washed' });
    expect(f.counted).toEqual(['REJECTED:damaged']);
    await requestedReturn(f, orderId, [{ sku: 'SKU-1', quantity: 2 }]);
  });

  it('rejects only while REQUESTED (409 once approved)', async () => {
    const f = inMemoryReturns();
    const id = await approvedReturn(f, await deliveredOrder(f));
    await expect(new RejectReturn(f.deps, f.moves).execute(id, 'no', STAFF)).rejects.toBeInstanceOf(
      IllegalStateTransitionError,
    );
  });
});
