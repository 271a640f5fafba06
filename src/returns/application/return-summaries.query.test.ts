import { describe, expect, it } from 'vitest';
import {
  callerTx,
  deliveredOrder,
  inMemoryReturns,
  requestedReturn,
} from '../../../test/support/in-memory/returns.deps.js';
import { ReturnSummaries } from './return-summaries.query.js';

describe('ReturnSummaries', () => {
  it('answers the returns of each order oldest first, as the order view shows them; orders without any are absent', async () => {
    const f = inMemoryReturns();
    const a = await deliveredOrder(f);
    const b = await deliveredOrder(f);
    const r1 = await requestedReturn(f, a, [{ sku: 'SKU-1', quantity: 1 }]);
    const r2 = await requestedReturn(f, a, [{ sku: 'SKU-2', quantity: 1 }]);
    const summaries = await new ReturnSummaries(f.deps).execute([a, b], callerTx());
    expect(summaries).toEqual(
      new Map([
        [
          a,
          [
            { id: r1, number: 'EU-000001-R1', status: 'REQUESTED', refund: null },
            { id: r2, number: 'EU-000001-R2', status: 'REQUESTED', refund: null },
          ],
        ],
      ]),
    );
    expect(await new ReturnSummaries(f.deps).execute([])).toEqual(new Map());
  });
});
