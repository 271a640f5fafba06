import { describe, expect, it } from 'vitest';
import { cartTestBed } from '../../../test/support/in-memory/cart.repositories.js';
import { CartNotFoundError } from '../domain/cart.errors.js';
import { RemoveCartPromotion } from './remove-cart-promotion.use-case.js';

const DAY = 24 * 60 * 60 * 1000;

describe('RemoveCartPromotion', () => {
  it('drops the coupon code and counts as a change (the idle expiry moves)', async () => {
    const bed = cartTestBed();
    const cart = bed.openCart(null);
    cart.applyPromotion('SPRING10', bed.clock.now());
    bed.carts.put(cart);
    bed.clock.advance(DAY);
    await new RemoveCartPromotion(bed.deps).execute(cart.id, null);
    const row = bed.carts.row(cart.id);
    expect(row?.promotionCode).toBeNull();
    expect(row?.updatedAt).toEqual(bed.clock.now());
    expect(row?.expiresAt.getTime()).toBe(bed.clock.now().getTime() + 30 * DAY);
  });

  it('an anonymous caller cannot touch a customer’s cart: 404, the code stays', async () => {
    const bed = cartTestBed();
    const cart = bed.openCart('customer-1');
    cart.applyPromotion('SPRING10', bed.clock.now());
    bed.carts.put(cart);
    await expect(new RemoveCartPromotion(bed.deps).execute(cart.id, null)).rejects.toBeInstanceOf(
      CartNotFoundError,
    );
    expect(bed.carts.row(cart.id)?.promotionCode).toBe('SPRING10');
  });
});
