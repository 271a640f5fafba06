import { describe, expect, it } from 'vitest';
import { cartTestBed } from '../../../test/support/in-memory/cart.repositories.js';
import { CartLineNotFoundError, CartNotFoundError } from '../domain/cart.errors.js';
import { RemoveCartItem } from './remove-cart-item.use-case.js';

describe('RemoveCartItem', () => {
  it('removes the line and answers the cart without it', async () => {
    const bed = cartTestBed();
    const cart = bed.openCart(null);
    cart.addLine('TEE-M', 2, bed.clock.now());
    cart.addLine('CAP-1', 1, bed.clock.now());
    bed.carts.put(cart);
    const changed = await new RemoveCartItem(bed.deps).execute(cart.id, null, 'TEE-M');
    expect(changed.lines.map((l) => l.sku)).toEqual(['CAP-1']);
    expect(bed.carts.row(cart.id)?.lines.map((l) => l.sku)).toEqual(['CAP-1']);
  });

  it('a SKU the cart has no line for is 404 NOT_FOUND', async () => {
    const bed = cartTestBed();
    const cart = bed.openCart(null);
    await expect(new RemoveCartItem(bed.deps).execute(cart.id, null, 'TEE-M')).rejects.toBeInstanceOf(
      CartLineNotFoundError,
    );
  });

  it('a closed cart is 404 and keeps its lines', async () => {
    const bed = cartTestBed();
    const cart = bed.openCart(null);
    cart.addLine('TEE-M', 2, bed.clock.now());
    cart.close('00000000-0000-4000-8000-0000000000aa', bed.clock.now());
    bed.carts.put(cart);
    await expect(new RemoveCartItem(bed.deps).execute(cart.id, null, 'TEE-M')).rejects.toBeInstanceOf(
      CartNotFoundError,
    );
    expect(bed.carts.row(cart.id)?.lines).toHaveLength(1);
  });
});
