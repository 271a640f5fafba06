import { describe, expect, it } from 'vitest';
import { cartTestBed } from '../../../test/support/in-memory/cart.repositories.js';
import type { TransactionHandle } from '../../platform/db/unit-of-work.js';
import { GetOpenCart } from './get-open-cart.query.js';

const DAY = 24 * 60 * 60 * 1000;
const TX = {} as TransactionHandle;
const ADDRESS = { name: 'Ada', line1: 'Main St 1', city: 'Berlin', postalCode: '10115', country: 'DE' };

describe('GetOpenCart', () => {
  it('an open cart is read as checkout needs it: lines, customer, guest email, coupon, shipping, version — no money', async () => {
    const bed = cartTestBed();
    const cart = bed.openCart(null);
    cart.addLine('TEE-M', 2, bed.clock.now());
    cart.applyPromotion('SPRING10', bed.clock.now());
    cart.setShipping(ADDRESS, 'standard', bed.clock.now());
    cart.setEmail('guest@example.com', bed.clock.now());
    bed.carts.put(cart);
    await bed.carts.save(cart); // version 1
    expect(await new GetOpenCart(bed.deps).execute(cart.id)).toEqual({
      id: cart.id,
      customerId: null,
      email: 'guest@example.com',
      currency: 'EUR',
      lines: [{ sku: 'TEE-M', quantity: 2 }],
      promotionCode: 'SPRING10',
      shippingAddress: ADDRESS,
      shippingOption: 'standard',
      updatedAt: bed.clock.now(),
      version: 1,
    });
  });

  it('a closed, expired, idle-expired, unknown or malformed cart is null', async () => {
    const bed = cartTestBed();
    const get = new GetOpenCart(bed.deps);
    const closed = bed.openCart(null);
    closed.close('00000000-0000-4000-8000-0000000000aa', bed.clock.now());
    bed.carts.put(closed);
    const expired = bed.openCart(null);
    expired.expire(bed.clock.now());
    bed.carts.put(expired);
    expect(await get.execute(closed.id)).toBeNull();
    expect(await get.execute(expired.id)).toBeNull();
    expect(await get.execute('00000000-0000-4000-8000-000000000009')).toBeNull();
    expect(await get.execute('nope')).toBeNull();
    const idle = bed.openCart(null);
    bed.clock.advance(30 * DAY);
    expect(await get.execute(idle.id)).toBeNull();
  });

  it('ownership is not its business: a customer’s cart is returned with its customer id', async () => {
    const bed = cartTestBed();
    const own = bed.openCart('customer-1');
    expect(await new GetOpenCart(bed.deps).execute(own.id)).toMatchObject({
      customerId: 'customer-1',
      email: null,
    });
  });

  it('inside the caller’s transaction the row is read for update; outside it, without a lock', async () => {
    const bed = cartTestBed();
    const cart = bed.openCart(null);
    const get = new GetOpenCart(bed.deps);
    await get.execute(cart.id, TX);
    expect(bed.carts.calls).toMatchObject({ findForUpdate: 1 });
    expect(bed.carts.calls.find).toBeUndefined();
    await get.execute(cart.id);
    expect(bed.carts.calls).toMatchObject({ findForUpdate: 1, find: 1 });
  });
});
