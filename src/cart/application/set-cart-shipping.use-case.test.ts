import { describe, expect, it } from 'vitest';
import { cartTestBed } from '../../../test/support/in-memory/cart.repositories.js';
import { ValidationError } from '../../platform/errors.js';
import { CartNotFoundError } from '../domain/cart.errors.js';
import { SetCartShipping } from './set-cart-shipping.use-case.js';

const ADDRESS = { name: 'Ada L', line1: 'Main St 1', city: 'Berlin', postalCode: '10115', country: 'DE' };

describe('SetCartShipping', () => {
  it('sets the address and one of the region’s shipping options', async () => {
    const bed = cartTestBed();
    const cart = bed.openCart(null);
    await new SetCartShipping(bed.deps).execute(cart.id, null, ADDRESS, 'express');
    const row = bed.carts.row(cart.id);
    expect(row?.shippingAddress).toEqual(ADDRESS);
    expect(row?.shippingOption).toBe('express');
  });

  it('an option the region does not offer is 400 on path option, listing the codes, and nothing changes', async () => {
    const bed = cartTestBed();
    const cart = bed.openCart(null);
    const set = new SetCartShipping(bed.deps);
    const refused = (async () => set.execute(cart.id, null, ADDRESS, 'teleport'))();
    await expect(refused).rejects.toBeInstanceOf(ValidationError);
    await expect(refused).rejects.toMatchObject({
      code: 'VALIDATION_FAILED',
      errors: [{ path: 'option', message: 'must be one of standard, express' }],
    });
    expect(bed.carts.row(cart.id)?.shippingOption).toBeNull();
  });

  it('the option is checked before the cart: an unknown option on an unknown cart is 400, not 404', async () => {
    const bed = cartTestBed();
    const set = new SetCartShipping(bed.deps);
    const id = '00000000-0000-4000-8000-000000000009';
    await expect((async () => set.execute(id, null, ADDRESS, 'teleport'))()).rejects.toMatchObject({
      code: 'VALIDATION_FAILED',
    });
    await expect(set.execute(id, null, ADDRESS, 'standard')).rejects.toBeInstanceOf(CartNotFoundError);
  });
});
