import { describe, expect, it } from 'vitest';
import { cartTestBed } from '../../../test/support/in-memory/cart.repositories.js';
import {
  CartLineNotFoundError,
  CartNotFoundError,
  OutOfStockError,
  SkuNotAvailableError,
} from '../domain/cart.errors.js';
import { ChangeCartItem } from './change-cart-item.use-case.js';

const withLine = (quantity: number, stock: number) => {
  const bed = cartTestBed();
  bed.variants.add('TEE-M');
  bed.stock.set('TEE-M', stock);
  const cart = bed.openCart(null);
  cart.addLine('TEE-M', quantity, bed.clock.now());
  bed.carts.put(cart);
  return { bed, cart, change: new ChangeCartItem(bed.deps) };
};

describe('ChangeCartItem', () => {
  it('sets the line to the new quantity', async () => {
    const { bed, cart, change } = withLine(2, 10);
    await change.execute(cart.id, null, 'TEE-M', 7);
    expect(bed.carts.row(cart.id)?.lines.map((l) => l.quantity)).toEqual([7]);
  });

  it('lowering a line checks neither catalog nor stock (even if the product left the shop since)', async () => {
    const { bed, cart, change } = withLine(5, 0);
    bed.variants.add('TEE-M', { status: 'archived' });
    await change.execute(cart.id, null, 'TEE-M', 1);
    expect(bed.carts.row(cart.id)?.lines.map((l) => l.quantity)).toEqual([1]);
    expect(bed.variants.calls).toEqual([]);
    expect(bed.stock.calls).toEqual([]);
  });

  it('setting a line to the quantity it has checks neither catalog nor stock', async () => {
    const { bed, cart, change } = withLine(3, 0);
    await change.execute(cart.id, null, 'TEE-M', 3);
    expect(bed.carts.row(cart.id)?.lines.map((l) => l.quantity)).toEqual([3]);
    expect(bed.stock.calls).toEqual([]);
  });

  it('raising a line beyond fresh availability is 409 OUT_OF_STOCK for the new quantity, and the line stays', async () => {
    const { bed, cart, change } = withLine(2, 4);
    await expect(change.execute(cart.id, null, 'TEE-M', 5)).rejects.toMatchObject({
      code: 'OUT_OF_STOCK',
      errors: [{ path: 'sku', message: 'TEE-M: 4 available, 5 requested' }],
    });
    await expect(change.execute(cart.id, null, 'TEE-M', 5)).rejects.toBeInstanceOf(OutOfStockError);
    expect(bed.carts.row(cart.id)?.lines.map((l) => l.quantity)).toEqual([2]);
  });

  it('raising a line whose product is no longer active is 404', async () => {
    const { bed, cart, change } = withLine(2, 10);
    bed.variants.add('TEE-M', { status: 'draft' });
    await expect(change.execute(cart.id, null, 'TEE-M', 3)).rejects.toBeInstanceOf(SkuNotAvailableError);
  });

  it('0 removes the line', async () => {
    const { bed, cart, change } = withLine(2, 10);
    const changed = await change.execute(cart.id, null, 'TEE-M', 0);
    expect(changed.lines).toEqual([]);
    expect(bed.carts.row(cart.id)?.lines).toEqual([]);
  });

  it('a SKU the cart has no line for is 404, whatever the quantity', async () => {
    const { bed, cart, change } = withLine(2, 10);
    bed.variants.add('CAP-1');
    bed.stock.set('CAP-1', 10);
    await expect(change.execute(cart.id, null, 'CAP-1', 3)).rejects.toBeInstanceOf(CartLineNotFoundError);
    await expect(change.execute(cart.id, null, 'CAP-1', 0)).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });

  it('a quantity outside 0–99 is 400 VALIDATION_FAILED', async () => {
    const { cart, change } = withLine(2, 500);
    await expect(change.execute(cart.id, null, 'TEE-M', 100)).rejects.toMatchObject({
      code: 'VALIDATION_FAILED',
      errors: [{ path: 'quantity' }],
    });
    await expect(change.execute(cart.id, null, 'TEE-M', -1)).rejects.toMatchObject({
      code: 'VALIDATION_FAILED',
    });
  });

  it('another customer cannot change a customer’s cart: 404', async () => {
    const bed = cartTestBed();
    const own = bed.openCart('customer-1');
    own.addLine('TEE-M', 1, bed.clock.now());
    bed.carts.put(own);
    await expect(
      new ChangeCartItem(bed.deps).execute(own.id, 'customer-2', 'TEE-M', 0),
    ).rejects.toBeInstanceOf(CartNotFoundError);
    expect(bed.carts.row(own.id)?.lines).toHaveLength(1);
  });
});
