import { describe, expect, it } from 'vitest';
import { cartTestBed } from '../../../test/support/in-memory/cart.repositories.js';
import { money } from '../../platform/money.js';
import { PriceCart } from './price-cart.query.js';

const eur = (amount: number) => money(amount, 'EUR');

const bedWithCart = () => {
  const bed = cartTestBed();
  bed.variants.add('TEE-M', { productName: 'Tee' }).add('CAP-1', { productName: 'Cap' });
  bed.pricing.price('TEE-M', 1000).price('CAP-1', 550);
  const cart = bed.openCart(null);
  cart.addLine('TEE-M', 2, bed.clock.now());
  cart.addLine('CAP-1', 1, bed.clock.now());
  bed.carts.put(cart);
  return { bed, cart, price: new PriceCart(bed.deps) };
};

describe('PriceCart', () => {
  it('every amount comes from pricing: lines named after their product, totals as quoted', async () => {
    const { cart, price } = bedWithCart();
    const priced = await price.execute(cart);
    expect(priced.items).toEqual([
      {
        sku: 'TEE-M',
        name: 'Tee',
        quantity: 2,
        unitPrice: eur(1000),
        subtotal: eur(2000),
        discount: eur(0),
        lineTotal: eur(2000),
      },
      {
        sku: 'CAP-1',
        name: 'Cap',
        quantity: 1,
        unitPrice: eur(550),
        subtotal: eur(550),
        discount: eur(0),
        lineTotal: eur(550),
      },
    ]);
    expect(priced).toMatchObject({
      currency: 'EUR',
      taxMode: 'inclusive',
      subtotal: eur(2550),
      discount: eur(0),
      shipping: eur(0),
      tax: eur(0),
      total: eur(2550),
      promotion: null,
      unavailable: [],
    });
  });

  it('lines are quoted with their tax class, the coupon code and the shipping option of the cart', async () => {
    const { bed, cart, price } = bedWithCart();
    bed.variants.add('CAP-1', { productName: 'Cap', taxClass: 'reduced' });
    cart.applyPromotion('SPRING10', bed.clock.now());
    cart.setShipping(
      { name: 'A', line1: 'L', city: 'C', postalCode: 'P', country: 'DE' },
      'express',
      bed.clock.now(),
    );
    await price.execute(cart);
    expect(bed.pricing.quotes.at(-1)?.input).toEqual({
      lines: [
        { sku: 'TEE-M', quantity: 2, taxClass: 'standard' },
        { sku: 'CAP-1', quantity: 1, taxClass: 'reduced' },
      ],
      promotionCode: 'SPRING10',
      shippingOption: 'express',
      now: bed.clock.now(),
    });
  });

  it('a coupon that applies shows each line’s share of the discount; the shipping option is charged', async () => {
    const { bed, cart, price } = bedWithCart();
    bed.pricing.coupon('SPRING10', { percentOff: 10 });
    cart.applyPromotion('SPRING10', bed.clock.now());
    cart.setShipping(
      { name: 'A', line1: 'L', city: 'C', postalCode: 'P', country: 'DE' },
      'standard',
      bed.clock.now(),
    );
    const priced = await price.execute(cart);
    expect(priced.items.map((i) => [i.sku, i.discount.amount, i.lineTotal.amount])).toEqual([
      ['TEE-M', 200, 1800],
      ['CAP-1', 55, 495],
    ]);
    expect(priced).toMatchObject({
      discount: eur(255),
      shipping: eur(490),
      total: eur(2785),
      promotion: { code: 'SPRING10', applied: true },
    });
  });

  it('a kept coupon that stopped applying shows discount 0 and why', async () => {
    const { bed, cart, price } = bedWithCart();
    bed.pricing.coupon('BIG', { percentOff: 10, minSubtotal: 10_000 });
    cart.applyPromotion('BIG', bed.clock.now());
    const priced = await price.execute(cart);
    expect(priced.discount).toEqual(eur(0));
    expect(priced.promotion).toEqual({ code: 'BIG', applied: false, reason: 'min_subtotal_not_met' });
  });

  it('lines that cannot be bought are listed as unavailable (unknown, inactive, no_price) and left out of every amount', async () => {
    const { bed, cart, price } = bedWithCart();
    bed.variants
      .add('OLD-1', { productName: 'Old', status: 'archived' })
      .add('NEW-1', { productName: 'New' });
    bed.pricing.price('OLD-1', 9000);
    cart.addLine('GONE-1', 1, bed.clock.now());
    cart.addLine('OLD-1', 1, bed.clock.now());
    cart.addLine('NEW-1', 3, bed.clock.now());
    const priced = await price.execute(cart);
    expect(priced.unavailable).toEqual([
      { sku: 'GONE-1', name: null, quantity: 1, reason: 'unknown' },
      { sku: 'OLD-1', name: 'Old', quantity: 1, reason: 'inactive' },
      { sku: 'NEW-1', name: 'New', quantity: 3, reason: 'no_price' },
    ]);
    expect(priced.items.map((i) => i.sku)).toEqual(['TEE-M', 'CAP-1']);
    expect(priced.subtotal).toEqual(eur(2550));
    // inactive and unknown lines are not even sent to pricing
    expect(bed.pricing.quotes.at(-1)?.input.lines.map((l) => l.sku)).toEqual(['TEE-M', 'CAP-1', 'NEW-1']);
  });

  it('an empty cart is priced without asking the catalog', async () => {
    const bed = cartTestBed();
    const priced = await new PriceCart(bed.deps).execute(bed.openCart(null));
    expect(priced).toMatchObject({ items: [], unavailable: [], total: eur(0) });
    expect(bed.variants.calls).toEqual([]);
  });

  it('the catalog is read once per pricing, outside any transaction, and nothing is written', async () => {
    const { bed, cart, price } = bedWithCart();
    await price.execute(cart);
    expect(bed.variants.calls).toEqual([{ skus: ['TEE-M', 'CAP-1'], tx: undefined }]);
    expect(bed.uow.commits).toBe(0);
  });
});
