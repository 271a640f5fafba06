import { describe, expect, it } from 'vitest';
import { pricingTestBed } from '../../../test/support/in-memory/pricing.repositories.js';
import { GetPrices } from './get-prices.query.js';
import { SetPrice } from './set-price.use-case.js';

describe('GetPrices', () => {
  it('maps each priced SKU to its money once; SKUs without a price (or malformed) are absent', async () => {
    const bed = pricingTestBed();
    await new SetPrice(bed.deps).execute('TEE-M', 1999);
    await new SetPrice(bed.deps).execute('MUG', 1250);
    expect(await new GetPrices(bed.deps).execute(['TEE-M', 'MUG', 'NOPE', 'TEE-M', 'bad sku!'])).toEqual(
      new Map([
        ['TEE-M', { amount: 1999, currency: 'EUR' }],
        ['MUG', { amount: 1250, currency: 'EUR' }],
      ]),
    );
  });

  it('no SKUs: an empty map', async () => {
    const bed = pricingTestBed();
    expect(await new GetPrices(bed.deps).execute([])).toEqual(new Map());
  });
});
