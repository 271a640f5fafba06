import { describe, expect, it } from 'vitest';
import { pricingTestBed } from '../../../test/support/in-memory/pricing.repositories.js';
import type { TransactionHandle } from '../../platform/db/unit-of-work.js';
import { newId } from '../../platform/ids.js';
import { CreatePromotion } from './create-promotion.use-case.js';
import { RedeemPromotion } from './redeem-promotion.use-case.js';
import { ReleasePromotion } from './release-promotion.use-case.js';

const TX = { callers: true } as unknown as TransactionHandle;

describe('ReleasePromotion', () => {
  it("takes back the order's redemption: the count comes down and the code is returned, once", async () => {
    const bed = pricingTestBed();
    const promotion = await new CreatePromotion(bed.deps).execute({
      code: 'ONCE',
      type: 'fixed',
      value: 100,
      usageLimit: 1,
    });
    const orderId = newId();
    await new RedeemPromotion(bed.deps).execute('ONCE', orderId, TX);
    const release = new ReleasePromotion(bed.deps);
    expect(await release.execute(orderId, TX)).toBe('ONCE');
    expect(bed.repos.promotions.rows.get(promotion.id)?.usedCount).toBe(0);
    expect(await release.execute(orderId, TX)).toBeNull();
    expect(bed.repos.promotions.rows.get(promotion.id)?.usedCount).toBe(0);
    // the use is free again for another order
    await expect(new RedeemPromotion(bed.deps).execute('ONCE', newId(), TX)).resolves.toMatchObject({
      alreadyRedeemed: false,
    });
  });

  it('an order that redeemed nothing, or an id that is not a UUID, releases nothing', async () => {
    const bed = pricingTestBed();
    const release = new ReleasePromotion(bed.deps);
    expect(await release.execute(newId(), TX)).toBeNull();
    expect(await release.execute('order-1', TX)).toBeNull();
  });
});
