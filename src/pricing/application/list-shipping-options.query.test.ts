import { describe, expect, it } from 'vitest';
import { pricingTestBed } from '../../../test/support/in-memory/pricing.repositories.js';
import { ListShippingOptions } from './list-shipping-options.query.js';

describe('ListShippingOptions', () => {
  it("lists the region's shipping options priced in its currency", () => {
    const bed = pricingTestBed();
    expect(new ListShippingOptions(bed.deps).execute()).toEqual([
      { code: 'standard', name: 'Standard (3-5 days)', price: { amount: 495, currency: 'EUR' } },
      { code: 'express', name: 'Express (1-2 days)', price: { amount: 1295, currency: 'EUR' } },
    ]);
  });
});
