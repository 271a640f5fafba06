import { describe, expect, it } from 'vitest';
import {
  approvedReturn,
  deliveredOrder,
  inMemoryReturns,
  owner,
  quiet,
  requestedReturn,
  STAFF,
  WAREHOUSE,
} from '../../../test/support/in-memory/returns.deps.js';
import { IllegalStateTransitionError } from '../../platform/errors.js';
import { ReturnEventTypes } from '../contract.js';
import { ReturnNotFoundError } from '../domain/returns.errors.js';
import { CancelReturn } from './cancel-return.use-case.js';
import { ReceiveReturn } from './receive-return.use-case.js';

describe('CancelReturn', () => {
  it('cancels a requested or approved return for its owner: CANCELLED, ReturnCancelled; the return locked before the order', async () => {
    const f = inMemoryReturns();
    const orderId = await deliveredOrder(f);
    const requested = await requestedReturn(f, orderId);
    const approved = await approvedReturn(f, orderId);
    quiet(f);
    f.repos.returns.locks.length = 0;
    f.orders.repos.orders.locks.length = 0;
    const cancel = new CancelReturn(f.deps, f.moves);
    expect((await cancel.execute(orderId, requested, owner)).status).toBe('CANCELLED');
    expect(f.repos.returns.locks).toEqual([requested]);
    expect(f.orders.repos.orders.locks).toEqual([orderId]);
    expect((await cancel.execute(orderId, approved, owner)).status).toBe('CANCELLED');
    expect(f.uow.eventTypes()).toEqual([ReturnEventTypes.ReturnCancelled, ReturnEventTypes.ReturnCancelled]);
    expect(f.repos.returns.rows.get(requested)!.history.at(-1)!.actor).toEqual({
      kind: 'customer',
      id: owner.principal.userId,
    });
  });

  it('refuses once received (409 ILLEGAL_STATE_TRANSITION)', async () => {
    const f = inMemoryReturns();
    const orderId = await deliveredOrder(f);
    const id = await approvedReturn(f, orderId);
    await new ReceiveReturn(f.deps, f.moves, f.refunds, f.complete).execute(
      id,
      { warehouseId: WAREHOUSE, lines: [{ sku: 'SKU-1', quantity: 1, condition: 'resellable' }] },
      STAFF,
    );
    await expect(new CancelReturn(f.deps, f.moves).execute(orderId, id, owner)).rejects.toBeInstanceOf(
      IllegalStateTransitionError,
    );
  });

  it('answers 404 for a return of another order, and for a caller who is not the order’s', async () => {
    const f = inMemoryReturns();
    const orderId = await deliveredOrder(f);
    const other = await deliveredOrder(f);
    const id = await requestedReturn(f, orderId);
    const cancel = new CancelReturn(f.deps, f.moves);
    await expect(cancel.execute(other, id, owner)).rejects.toBeInstanceOf(ReturnNotFoundError);
    const stranger = { principal: { ...owner.principal, userId: '6d6d6d6d-0000-4000-8000-000000000006' } };
    await expect(cancel.execute(orderId, id, stranger)).rejects.toBeInstanceOf(ReturnNotFoundError);
    await expect(
      cancel.execute(orderId, id, { principal: null, email: 'ada@orders.example' }),
    ).rejects.toBeInstanceOf(ReturnNotFoundError);
    expect(f.repos.returns.rows.get(id)!.status).toBe('REQUESTED');
  });
});
