import { describe, expect, it } from 'vitest';
import { ValidationError } from '../../platform/errors.js';
import { type NewPromotion, Promotion } from './promotion.aggregate.js';

const now = new Date('2026-03-01T12:00:00Z');
const base: NewPromotion = {
  id: '0b6f7d1e-3c55-4d7a-9a0e-5b1c2d3e4f50',
  region: 'eu',
  currency: 'EUR',
  code: 'spring-10',
  type: 'percentage',
  value: 10,
  now,
};

const errorPaths = (input: Partial<NewPromotion>): string[] => {
  try {
    Promotion.create({ ...base, ...input });
  } catch (err) {
    expect(err).toBeInstanceOf(ValidationError);
    return (err as ValidationError).errors!.map((e) => e.path);
  }
  return [];
};

describe('Promotion', () => {
  it('stores the code upper-case and starts unused', () => {
    const p = Promotion.create(base);
    expect(p.code).toBe('SPRING-10');
    expect(p.usedCount).toBe(0);
    expect(p.terms).toEqual({ type: 'percentage', value: 10 });
  });

  it('validates value by type, the window, the limit and the code', () => {
    expect(errorPaths({ value: 0 })).toEqual(['value']);
    expect(errorPaths({ value: 101 })).toEqual(['value']);
    expect(errorPaths({ type: 'fixed', value: 101 })).toEqual([]);
    expect(errorPaths({ type: 'fixed', value: 0 })).toEqual(['value']);
    expect(errorPaths({ code: 'ab' })).toEqual(['code']);
    expect(errorPaths({ usageLimit: 0 })).toEqual(['usageLimit']);
    expect(errorPaths({ minSubtotal: -1 })).toEqual(['minSubtotal']);
    expect(errorPaths({ startsAt: now, endsAt: now })).toEqual(['endsAt']);
    expect(errorPaths({ startsAt: now, endsAt: new Date(now.getTime() + 1) })).toEqual([]);
  });

  it('says why it cannot be used: not started, expired, used up, subtotal too low', () => {
    const startsAt = new Date('2026-03-10T00:00:00Z');
    const endsAt = new Date('2026-03-20T00:00:00Z');
    const p = Promotion.restore({
      ...Promotion.create({ ...base, startsAt, endsAt, minSubtotal: 5000, usageLimit: 2 }).snapshot(),
    });
    expect(p.rejectionAt(new Date('2026-03-09T23:59:59Z'), 9999)).toBe('not_started');
    expect(p.rejectionAt(startsAt, 9999)).toBeNull(); // from startsAt inclusive
    expect(p.rejectionAt(new Date(endsAt.getTime() - 1), 9999)).toBeNull();
    expect(p.rejectionAt(endsAt, 9999)).toBe('expired'); // until endsAt exclusive
    expect(p.rejectionAt(startsAt, 4999)).toBe('min_subtotal_not_met');
    expect(p.rejectionAt(startsAt, 5000)).toBeNull();
    expect(p.rejectionAt(startsAt, null)).toBeNull();
    const usedUp = Promotion.restore({ ...p.snapshot(), usedCount: 2 });
    expect(usedUp.rejectionAt(startsAt, 9999)).toBe('used_up');
  });

  it('records PromotionRedeemed with the code and order', () => {
    const p = Promotion.create(base);
    p.pullEvents();
    p.redeemedFor('7d1c9a52-0b1e-4a53-8f57-0c2f1f0e9a11', now);
    expect(p.pullEvents()).toMatchObject([
      {
        name: 'PromotionRedeemed',
        aggregateId: base.id,
        code: 'SPRING-10',
        orderId: '7d1c9a52-0b1e-4a53-8f57-0c2f1f0e9a11',
      },
    ]);
  });
});
