import { describe, expect, it } from 'vitest';
import { pricingTestBed } from '../../../test/support/in-memory/pricing.repositories.js';
import { CheckPromotion } from './check-promotion.query.js';
import { CreatePromotion } from './create-promotion.use-case.js';
import { GetPrices } from './get-prices.query.js';
import { GetQuote } from './get-quote.query.js';
import { SetPrice } from './set-price.use-case.js';

const quoting = async (region = 'eu') => {
  const bed = pricingTestBed({ region });
  await new SetPrice(bed.deps).execute('TEE-M', region === 'eu' ? 1999 : 2200);
  await new SetPrice(bed.deps).execute('MUG', 1250);
  return { bed, quote: new GetQuote(bed.deps, new GetPrices(bed.deps), new CheckPromotion(bed.deps)) };
};

describe('GetQuote', () => {
  it('prices the lines and shipping tax-inclusive, and names the SKUs without a price instead of pricing them at zero', async () => {
    const { quote } = await quoting();
    const q = await quote.execute({
      lines: [
        { sku: 'TEE-M', quantity: 2, taxClass: 'standard' },
        { sku: 'GHOST', quantity: 1, taxClass: 'standard' },
        { sku: 'MUG', quantity: 1, taxClass: 'reduced' },
      ],
      shippingOption: 'standard',
    });
    expect(q).toMatchObject({
      currency: 'EUR',
      taxMode: 'inclusive',
      subtotal: 3998 + 1250,
      discount: 0,
      shipping: 495,
      shippingTax: 82,
      tax: 666 + 82 + 82,
      total: 3998 + 1250 + 495,
      promotion: null,
      shippingOption: { code: 'standard', name: 'Standard (3-5 days)' },
      missingPrices: ['GHOST'],
    });
    expect(q.lines.map((l) => l.sku)).toEqual(['TEE-M', 'MUG']);
  });

  it('applies an eligible coupon, judged on the undiscounted subtotal', async () => {
    const { bed, quote } = await quoting();
    await new CreatePromotion(bed.deps).execute({
      code: 'TENOFF',
      type: 'percentage',
      value: 10,
      minSubtotal: 5000,
    });
    const q = await quote.execute({
      lines: [{ sku: 'TEE-M', quantity: 3, taxClass: 'standard' }],
      promotionCode: 'tenoff',
    });
    expect(q.promotion).toEqual({ code: 'TENOFF', applied: true });
    expect(q).toMatchObject({ subtotal: 5997, discount: 600, total: 5397 });
  });

  it('reports why a coupon was not applied, and prices without it', async () => {
    const { bed, quote } = await quoting();
    await new CreatePromotion(bed.deps).execute({
      code: 'TENOFF',
      type: 'percentage',
      value: 10,
      minSubtotal: 5000,
    });
    const small = await quote.execute({
      lines: [{ sku: 'TEE-M', quantity: 1, taxClass: 'standard' }],
      promotionCode: 'TENOFF',
    });
    expect(small.promotion).toEqual({ code: 'TENOFF', applied: false, reason: 'min_subtotal_not_met' });
    expect(small).toMatchObject({ discount: 0, total: 1999 });
    const unknown = await quote.execute({
      lines: [{ sku: 'TEE-M', quantity: 1, taxClass: 'standard' }],
      promotionCode: 'WHAT',
    });
    expect(unknown.promotion).toEqual({ code: 'WHAT', applied: false, reason: 'unknown' });
  });

  it("checks the coupon's window at the quote's `now` when one is given", async () => {
    const { bed, quote } = await quoting();
    const later = new Date(bed.clock.now().getTime() + 86_400_000);
    await new CreatePromotion(bed.deps).execute({
      code: 'LATER',
      type: 'fixed',
      value: 100,
      startsAt: later,
    });
    const lines = [{ sku: 'MUG', quantity: 1, taxClass: 'reduced' }];
    expect((await quote.execute({ lines, promotionCode: 'LATER' })).promotion).toMatchObject({
      applied: false,
      reason: 'not_started',
    });
    expect((await quote.execute({ lines, promotionCode: 'LATER', now: later })).promotion).toEqual({
      code: 'LATER',
      applied: true,
    });
  });

  it('adds tax on top in an exclusive region', async () => {
    const { quote } = await quoting('us');
    const q = await quote.execute({
      lines: [{ sku: 'TEE-M', quantity: 1, taxClass: 'standard' }],
      shippingOption: 'ground',
    });
    // 2200 × 7.25 % = 159.5 → 160 (even); 599 × 7.25 % = 43.43 → 43
    expect(q).toMatchObject({
      currency: 'USD',
      taxMode: 'exclusive',
      subtotal: 2200,
      shipping: 599,
      tax: 160 + 43,
    });
    expect(q.total).toBe(2200 + 599 + 160 + 43);
  });

  it('an unknown shipping option is VALIDATION_FAILED naming the options of the region', async () => {
    const { quote } = await quoting();
    await expect(
      quote.execute({
        lines: [{ sku: 'TEE-M', quantity: 1, taxClass: 'standard' }],
        shippingOption: 'drone',
      }),
    ).rejects.toMatchObject({
      code: 'VALIDATION_FAILED',
      errors: [{ path: 'shippingOption', message: 'must be one of standard, express' }],
    });
  });
});
