import { describe, expect, it } from 'vitest';
import { pricingTestBed } from '../../../test/support/in-memory/pricing.repositories.js';
import { GetPrice } from './get-price.query.js';
import { SetPrice } from './set-price.use-case.js';

describe('GetPrice', () => {
  it("returns the SKU's list price", async () => {
    const bed = pricingTestBed();
    await new SetPrice(bed.deps).execute('TEE-M', 1999);
    expect((await new GetPrice(bed.deps).execute('TEE-M')).snapshot()).toMatchObject({
      amount: 1999,
      currency: 'EUR',
    });
  });

  it('a SKU without a price, or no SKU at all, is NOT_FOUND', async () => {
    const bed = pricingTestBed();
    await expect(new GetPrice(bed.deps).execute('TEE-M')).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(new GetPrice(bed.deps).execute('not a sku!')).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });
});
