import { describe, expect, it } from 'vitest';
import { cartTestBed } from '../../../test/support/in-memory/cart.repositories.js';
import { PromotionNotApplicableError } from '../../pricing/contract.js';
import { CartNotFoundError } from '../domain/cart.errors.js';
import { ApplyCartPromotion } from './apply-cart-promotion.use-case.js';

/** A cart with 2 × TEE-M at 1000 (active) and 1 × OLD-1 at 5000 (archived: left out of the subtotal). */
const bedWithCart = () => {
  const bed = cartTestBed();
  bed.variants.add('TEE-M').add('OLD-1', { status: 'archived' });
  bed.pricing.price('TEE-M', 1000).price('OLD-1', 5000);
  const cart = bed.openCart(null);
  cart.addLine('TEE-M', 2, bed.clock.now());
  cart.addLine('OLD-1', 1, bed.clock.now());
  bed.carts.put(cart);
  return { bed, cart, apply: new ApplyCartPromotion(bed.deps) };
};

describe('ApplyCartPromotion', () => {
  it('keeps the code as pricing normalised it when pricing says it applies now', async () => {
    const { bed, cart, apply } = bedWithCart();
    bed.pricing.coupon('SPRING10', { percentOff: 10 });
    const changed = await apply.execute(cart.id, null, 'spring10');
    expect(changed.promotionCode).toBe('SPRING10');
    expect(bed.carts.row(cart.id)?.promotionCode).toBe('SPRING10');
  });

  it('the code is checked against the subtotal of the lines that can be bought, at the clock’s now, on the cart’s tx', async () => {
    const { bed, cart, apply } = bedWithCart();
    bed.pricing.coupon('SPRING10', { percentOff: 10 });
    await apply.execute(cart.id, null, 'SPRING10');
    expect(bed.pricing.checks).toEqual([
      { code: 'SPRING10', subtotal: 2000, now: bed.clock.now(), tx: expect.anything() },
    ]);
  });

  it('the subtotal a new code is checked against is quoted without the code the cart holds now', async () => {
    const { bed, cart, apply } = bedWithCart();
    bed.pricing.coupon('OLD10', { percentOff: 10 }).coupon('NEW20', { percentOff: 20 });
    await apply.execute(cart.id, null, 'OLD10');
    await apply.execute(cart.id, null, 'NEW20');
    expect(bed.pricing.quotes.map((q) => q.input.promotionCode)).toEqual([null, null]);
    expect(bed.carts.row(cart.id)?.promotionCode).toBe('NEW20');
  });

  it('a code below its minimum subtotal is 409 CONFLICT with reason min_subtotal_not_met, and no code is kept', async () => {
    const { bed, cart, apply } = bedWithCart();
    bed.pricing.coupon('BIG', { percentOff: 10, minSubtotal: 2001 });
    const refused = apply.execute(cart.id, null, 'BIG');
    await expect(refused).rejects.toBeInstanceOf(PromotionNotApplicableError);
    await expect(refused).rejects.toMatchObject({
      code: 'CONFLICT',
      reason: 'min_subtotal_not_met',
      message: expect.stringMatching(/\(min_subtotal_not_met\)$/),
    });
    expect(bed.carts.row(cart.id)?.promotionCode).toBeNull();
  });

  it('an unknown, not started, expired or used-up code is 409 CONFLICT ending in (<reason>)', async () => {
    const { bed, cart, apply } = bedWithCart();
    bed.pricing.coupon('SOON', { refused: 'not_started' });
    bed.pricing.coupon('OLD', { refused: 'expired' });
    bed.pricing.coupon('GONE', { refused: 'used_up' });
    for (const [code, reason] of [
      ['NOPE', 'unknown'],
      ['SOON', 'not_started'],
      ['OLD', 'expired'],
      ['GONE', 'used_up'],
    ] as const) {
      await expect(apply.execute(cart.id, null, code)).rejects.toMatchObject({
        code: 'CONFLICT',
        reason,
        message: expect.stringMatching(new RegExp(`\\(${reason}\\)$`)),
      });
    }
    expect(bed.carts.row(cart.id)?.promotionCode).toBeNull();
  });

  it('someone else’s cart is 404 and pricing is not asked', async () => {
    const bed = cartTestBed();
    const own = bed.openCart('customer-1');
    await expect(new ApplyCartPromotion(bed.deps).execute(own.id, null, 'SPRING10')).rejects.toBeInstanceOf(
      CartNotFoundError,
    );
    expect(bed.pricing.checks).toEqual([]);
  });
});
