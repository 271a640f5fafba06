import { describe, expect, it } from 'vitest';
import { pricingTestBed } from '../../../test/support/in-memory/pricing.repositories.js';
import type { TransactionHandle } from '../../platform/db/unit-of-work.js';
import { newId } from '../../platform/ids.js';
import { PricingEventTypes } from '../contract.js';
import { CreatePromotion } from './create-promotion.use-case.js';
import { RedeemPromotion } from './redeem-promotion.use-case.js';

const TX = { callers: true } as unknown as TransactionHandle;
const day = 86_400_000;

const withPromotion = async (terms: { usageLimit?: number; endsAt?: Date; startsAt?: Date } = {}) => {
  const bed = pricingTestBed();
  const promotion = await new CreatePromotion(bed.deps).execute({
    code: 'TENOFF',
    type: 'percentage',
    value: 10,
    ...terms,
  });
  return { bed, promotion, redeem: new RedeemPromotion(bed.deps) };
};

describe('RedeemPromotion', () => {
  it("counts one use for the order, with PromotionRedeemed in the caller's outbox", async () => {
    const { bed, promotion, redeem } = await withPromotion();
    const orderId = newId();
    const commitsBefore = bed.uow.commits;
    expect(await redeem.execute('tenoff', orderId, TX)).toEqual({
      promotionId: promotion.id,
      code: 'TENOFF',
      orderId,
      alreadyRedeemed: false,
    });
    expect(bed.repos.promotions.rows.get(promotion.id)?.usedCount).toBe(1);
    expect(bed.uow.eventTypes()).toEqual([PricingEventTypes.PromotionRedeemed]);
    expect(bed.uow.events[0]?.data).toEqual({ code: 'TENOFF', orderId });
    expect(bed.uow.commits).toBe(commitsBefore); // joined the caller's unit of work: nothing committed of its own
  });

  it('the same order twice counts once and publishes once', async () => {
    const { bed, promotion, redeem } = await withPromotion();
    const orderId = newId();
    await redeem.execute('TENOFF', orderId, TX);
    expect(await redeem.execute('TENOFF', orderId, TX)).toMatchObject({ alreadyRedeemed: true });
    expect(bed.repos.promotions.rows.get(promotion.id)?.usedCount).toBe(1);
    expect(bed.uow.eventTypes()).toEqual([PricingEventTypes.PromotionRedeemed]);
  });

  it('beyond the usage limit the redemption is a CONFLICT with reason used_up, and nothing is counted', async () => {
    const { bed, promotion, redeem } = await withPromotion({ usageLimit: 1 });
    await redeem.execute('TENOFF', newId(), TX);
    const refused = await redeem.execute('TENOFF', newId(), TX).catch((e) => e);
    expect(refused).toMatchObject({ code: 'CONFLICT', reason: 'used_up', promotionCode: 'TENOFF' });
    expect(bed.repos.promotions.rows.get(promotion.id)?.usedCount).toBe(1);
    expect(bed.repos.promotions.redemptions.size).toBe(1);
  });

  it('outside its window the redemption is a CONFLICT saying expired or not_started', async () => {
    const expired = await withPromotion({ endsAt: new Date('2026-03-02T00:00:00Z') });
    expired.bed.clock.advance(day);
    await expect(expired.redeem.execute('TENOFF', newId(), TX)).rejects.toMatchObject({ reason: 'expired' });
    const early = await withPromotion({ startsAt: new Date('2026-03-05T00:00:00Z') });
    await expect(early.redeem.execute('TENOFF', newId(), TX)).rejects.toMatchObject({
      reason: 'not_started',
    });
    expect(early.bed.uow.events).toEqual([]);
  });

  it('an unknown code is a CONFLICT with reason unknown', async () => {
    const { redeem } = await withPromotion();
    await expect(redeem.execute('NOPE', newId(), TX)).rejects.toMatchObject({
      code: 'CONFLICT',
      reason: 'unknown',
    });
  });

  it('an order id that is not a UUID is VALIDATION_FAILED', async () => {
    const { bed, promotion, redeem } = await withPromotion();
    expect(() => redeem.execute('TENOFF', 'order-1', TX)).toThrow(
      expect.objectContaining({ code: 'VALIDATION_FAILED' }),
    );
    expect(bed.repos.promotions.rows.get(promotion.id)?.usedCount).toBe(0);
  });
});
