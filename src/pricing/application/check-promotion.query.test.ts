import { describe, expect, it } from 'vitest';
import { pricingTestBed } from '../../../test/support/in-memory/pricing.repositories.js';
import { CheckPromotion } from './check-promotion.query.js';
import { CreatePromotion } from './create-promotion.use-case.js';

const day = 86_400_000;

describe('CheckPromotion', () => {
  it('an eligible code (any case) is ok, with its promotion', async () => {
    const bed = pricingTestBed();
    await new CreatePromotion(bed.deps).execute({
      code: 'TENOFF',
      type: 'percentage',
      value: 10,
      minSubtotal: 5000,
    });
    const check = await new CheckPromotion(bed.deps).execute('TenOff', 5000);
    expect(check.ok && check.promotion.code).toBe('TENOFF');
  });

  it('a subtotal under the minimum is min_subtotal_not_met', async () => {
    const bed = pricingTestBed();
    await new CreatePromotion(bed.deps).execute({
      code: 'TENOFF',
      type: 'percentage',
      value: 10,
      minSubtotal: 5000,
    });
    expect(await new CheckPromotion(bed.deps).execute('tenoff', 4999)).toEqual({
      ok: false,
      code: 'TENOFF',
      reason: 'min_subtotal_not_met',
    });
  });

  it('an unknown or malformed code is unknown, named as given', async () => {
    const bed = pricingTestBed();
    const check = new CheckPromotion(bed.deps);
    expect(await check.execute('WHAT', 100)).toEqual({ ok: false, code: 'WHAT', reason: 'unknown' });
    expect(await check.execute('!', 100)).toEqual({ ok: false, code: '!', reason: 'unknown' });
  });

  it('the window is judged at the clock, or at the instant given', async () => {
    const bed = pricingTestBed();
    const now = bed.clock.now().getTime();
    await new CreatePromotion(bed.deps).execute({
      code: 'SPRING',
      type: 'fixed',
      value: 500,
      startsAt: new Date(now + day),
      endsAt: new Date(now + 2 * day),
    });
    const check = new CheckPromotion(bed.deps);
    expect(await check.execute('SPRING', 1000)).toMatchObject({ ok: false, reason: 'not_started' });
    expect(await check.execute('SPRING', 1000, new Date(now + day))).toMatchObject({ ok: true });
    bed.clock.advance(2 * day);
    expect(await check.execute('SPRING', 1000)).toMatchObject({ ok: false, reason: 'expired' });
  });

  it('a used-up code is used_up', async () => {
    const bed = pricingTestBed();
    const p = await new CreatePromotion(bed.deps).execute({
      code: 'ONCE',
      type: 'fixed',
      value: 100,
      usageLimit: 1,
    });
    bed.repos.promotions.rows.get(p.id)!.usedCount = 1;
    expect(await new CheckPromotion(bed.deps).execute('ONCE', 1000)).toMatchObject({
      ok: false,
      reason: 'used_up',
    });
  });
});
