import { describe, expect, it } from 'vitest';
import { pricingTestBed } from '../../../test/support/in-memory/pricing.repositories.js';
import { CreatePromotion } from './create-promotion.use-case.js';
import { GetPromotion } from './get-promotion.query.js';

describe('GetPromotion', () => {
  it('finds a promotion by its code, whatever the case', async () => {
    const bed = pricingTestBed();
    const created = await new CreatePromotion(bed.deps).execute({
      code: 'TENOFF',
      type: 'percentage',
      value: 10,
    });
    expect((await new GetPromotion(bed.deps).execute('tenOFF')).id).toBe(created.id);
  });

  it('an unknown or malformed code is NOT_FOUND', async () => {
    const bed = pricingTestBed();
    await expect(new GetPromotion(bed.deps).execute('NOPE')).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(new GetPromotion(bed.deps).execute('!')).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });
});
