import { describe, expect, it } from 'vitest';
import {
  deliveredOrder,
  inMemoryReturns,
  requestedReturn,
} from '../../../test/support/in-memory/returns.deps.js';
import { ReturnNotFoundError } from '../domain/returns.errors.js';
import { GetReturn } from './get-return.query.js';

describe('GetReturn', () => {
  it('answers the return as JSON-ready view (ISO instants), 404 when unknown', async () => {
    const f = inMemoryReturns();
    const orderId = await deliveredOrder(f);
    const id = await requestedReturn(f, orderId);
    expect(await new GetReturn(f.deps).execute(id)).toMatchObject({
      id,
      orderId,
      number: 'EU-000001-R1',
      status: 'REQUESTED',
      createdAt: '2026-03-01T10:00:00.000Z',
      history: [{ status: 'REQUESTED', at: '2026-03-01T10:00:00.000Z', reason: null }],
    });
    await expect(
      new GetReturn(f.deps).execute('3f6c1d2e-8a4b-4c5d-9e0f-1a2b3c4d5e6f'),
    ).rejects.toBeInstanceOf(ReturnNotFoundError);
  });
});
