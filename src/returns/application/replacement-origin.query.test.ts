import { describe, expect, it } from 'vitest';
import {
  approvedReturn,
  deliveredOrder,
  inMemoryReturns,
  STAFF,
  WAREHOUSE,
} from '../../../test/support/in-memory/returns.deps.js';
import { ReceiveReturn } from './receive-return.use-case.js';
import { ReplacementOrigin } from './replacement-origin.query.js';

describe('ReplacementOrigin', () => {
  it('names the return an exchange’s replacement order replaces goods of; null for an ordinary order', async () => {
    const f = inMemoryReturns();
    const orderId = await deliveredOrder(f);
    f.variants.set('SKU-1', {
      sku: 'SKU-1',
      productId: 'p',
      productName: 'T',
      slug: 't',
      status: 'active',
      taxClass: 's',
    });
    f.prices.set('SKU-1', { amount: 1250, currency: 'EUR' });
    const id = await approvedReturn(
      f,
      orderId,
      [{ sku: 'SKU-1', quantity: 1 }],
      [{ sku: 'SKU-1', quantity: 1 }],
    );
    const view = await new ReceiveReturn(f.deps, f.moves, f.refunds, f.complete).execute(
      id,
      { warehouseId: WAREHOUSE, lines: [{ sku: 'SKU-1', quantity: 1, condition: 'damaged' }] },
      STAFF,
    );
    const origin = new ReplacementOrigin(f.deps);
    expect(await origin.execute(view.replacementOrderId!)).toEqual({
      returnId: id,
      number: 'EU-000001-R1',
      orderId,
    });
    expect(await origin.execute(orderId)).toBeNull();
  });
});
