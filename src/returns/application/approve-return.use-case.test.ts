import { describe, expect, it } from 'vitest';
import {
  deliveredOrder,
  inMemoryReturns,
  quiet,
  requestedReturn,
  STAFF,
} from '../../../test/support/in-memory/returns.deps.js';
import { IllegalStateTransitionError } from '../../platform/errors.js';
import { ReturnEventTypes } from '../contract.js';
import { ReturnNotFoundError } from '../domain/returns.errors.js';
import { ApproveReturn } from './approve-return.use-case.js';

describe('ApproveReturn', () => {
  it('approves a requested return: APPROVED, the staff member in its history, ReturnApproved, counted, the return locked', async () => {
    const f = inMemoryReturns();
    const id = await requestedReturn(f, await deliveredOrder(f));
    quiet(f);
    const view = await new ApproveReturn(f.deps, f.moves).execute(id, STAFF);
    expect(view.status).toBe('APPROVED');
    expect(f.repos.returns.rows.get(id)!.history.at(-1)).toMatchObject({ status: 'APPROVED', actor: STAFF });
    expect(f.uow.eventTypes()).toEqual([ReturnEventTypes.ReturnApproved]);
    expect(f.counted).toEqual(['APPROVED:damaged']);
    expect(f.repos.returns.locks).toEqual([id]);
  });

  it('refuses to approve twice (409 ILLEGAL_STATE_TRANSITION) and answers 404 for an unknown return', async () => {
    const f = inMemoryReturns();
    const id = await requestedReturn(f, await deliveredOrder(f));
    const approve = new ApproveReturn(f.deps, f.moves);
    await approve.execute(id, STAFF);
    await expect(approve.execute(id, STAFF)).rejects.toBeInstanceOf(IllegalStateTransitionError);
    await expect(approve.execute('3f6c1d2e-8a4b-4c5d-9e0f-1a2b3c4d5e6f', STAFF)).rejects.toBeInstanceOf(
      ReturnNotFoundError,
    );
  });
});
