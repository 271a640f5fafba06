import { describe, expect, it } from 'vitest';
import { pricingTestBed } from '../../../test/support/in-memory/pricing.repositories.js';
import { CreatePromotion } from './create-promotion.use-case.js';

describe('CreatePromotion', () => {
  it('creates a coupon of the region, its code upper-cased, in the region currency, unused', async () => {
    const bed = pricingTestBed();
    const promotion = await new CreatePromotion(bed.deps).execute({
      code: 'tenoff',
      type: 'percentage',
      value: 10,
      minSubtotal: 5000,
      usageLimit: 100,
    });
    expect(bed.repos.promotions.rows.get(promotion.id)).toMatchObject({
      code: 'TENOFF',
      region: 'eu',
      currency: 'EUR',
      type: 'percentage',
      value: 10,
      minSubtotal: 5000,
      usageLimit: 100,
      usedCount: 0,
      createdAt: bed.clock.now(),
    });
  });

  it('a code taken in the region, whatever its case, is a CONFLICT', async () => {
    const bed = pricingTestBed();
    const create = new CreatePromotion(bed.deps);
    await create.execute({ code: 'TENOFF', type: 'percentage', value: 10 });
    await expect(create.execute({ code: 'TenOff', type: 'fixed', value: 500 })).rejects.toMatchObject({
      code: 'CONFLICT',
      message: 'A promotion with the code TENOFF exists already',
    });
    expect(bed.repos.promotions.rows.size).toBe(1);
  });

  it('terms the promotion rules refuse are VALIDATION_FAILED, thrown before any transaction, and nothing is stored', () => {
    const bed = pricingTestBed();
    const create = new CreatePromotion(bed.deps);
    const refused = expect.objectContaining({ code: 'VALIDATION_FAILED' });
    expect(() => create.execute({ code: 'TOOMUCH', type: 'percentage', value: 101 })).toThrow(refused);
    expect(() => create.execute({ code: 'x', type: 'fixed', value: 100 })).toThrow(refused);
    expect(bed.repos.promotions.rows.size).toBe(0);
    expect(bed.uow.commits).toBe(0);
  });
});
