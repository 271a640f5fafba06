import { describe, expect, it } from 'vitest';
import { pricingTestBed } from '../../../test/support/in-memory/pricing.repositories.js';
import { PricingEventTypes } from '../contract.js';
import { SetPrice } from './set-price.use-case.js';

describe('SetPrice', () => {
  it("creates a SKU's list price in the region currency and publishes PriceChanged", async () => {
    const bed = pricingTestBed();
    const price = await new SetPrice(bed.deps).execute('TEE-M', 1999);
    expect(price.snapshot()).toMatchObject({ region: 'eu', sku: 'TEE-M', amount: 1999, currency: 'EUR' });
    expect(bed.repos.prices.rows.get('eu/TEE-M')).toMatchObject({ amount: 1999, updatedAt: bed.clock.now() });
    expect(bed.uow.eventTypes()).toEqual([PricingEventTypes.PriceChanged]);
    expect(bed.uow.events[0]?.data).toEqual({ sku: 'TEE-M', amount: 1999, currency: 'EUR' });
  });

  it('changes an existing price, with PriceChanged only when the amount actually changes', async () => {
    const bed = pricingTestBed();
    const setPrice = new SetPrice(bed.deps);
    await setPrice.execute('TEE-M', 1999);
    bed.clock.advance(1000);
    await setPrice.execute('TEE-M', 2499);
    await setPrice.execute('TEE-M', 2499);
    expect(bed.repos.prices.rows.get('eu/TEE-M')).toMatchObject({ amount: 2499, updatedAt: bed.clock.now() });
    expect(bed.uow.eventTypes()).toEqual([PricingEventTypes.PriceChanged, PricingEventTypes.PriceChanged]);
    expect(bed.uow.events[1]?.data).toMatchObject({ amount: 2499 });
  });

  it('a SKU the SKU directory does not know is NOT_FOUND and gets no price', async () => {
    const bed = pricingTestBed({ knownSkus: ['KNOWN-1'] });
    await expect(new SetPrice(bed.deps).execute('UNKNOWN-1', 100)).rejects.toMatchObject({
      code: 'NOT_FOUND',
    });
    await new SetPrice(bed.deps).execute('KNOWN-1', 100);
    expect([...bed.repos.prices.rows.keys()]).toEqual(['eu/KNOWN-1']);
  });

  it('a negative or fractional amount, or a malformed SKU, is VALIDATION_FAILED', async () => {
    const bed = pricingTestBed();
    const setPrice = new SetPrice(bed.deps);
    await expect(setPrice.execute('TEE-M', -1)).rejects.toMatchObject({ code: 'VALIDATION_FAILED' });
    await expect(setPrice.execute('TEE-M', 19.99)).rejects.toMatchObject({ code: 'VALIDATION_FAILED' });
    await expect(setPrice.execute('not a sku!', 100)).rejects.toMatchObject({ code: 'VALIDATION_FAILED' });
    expect(bed.repos.prices.rows.size).toBe(0);
  });

  it('a price left in an old currency is taken over in the region currency', async () => {
    const bed = pricingTestBed();
    bed.repos.prices.rows.set('eu/TEE-M', {
      region: 'eu',
      sku: 'TEE-M',
      amount: 1500,
      currency: 'GBP',
      updatedAt: bed.clock.now(),
    });
    await new SetPrice(bed.deps).execute('TEE-M', 1999);
    expect(bed.repos.prices.rows.get('eu/TEE-M')).toMatchObject({ amount: 1999, currency: 'EUR' });
  });
});
