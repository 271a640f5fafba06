import { describe, expect, it } from 'vitest';
import { cartTestBed } from '../../../test/support/in-memory/cart.repositories.js';
import {
  CartNotFoundError,
  LineQuantityLimitError,
  OutOfStockError,
  SkuNotAvailableError,
} from '../domain/cart.errors.js';
import { AddCartItem } from './add-cart-item.use-case.js';

const DAY = 24 * 60 * 60 * 1000;

const bedWith = (stock: number, status: 'active' | 'draft' | 'archived' = 'active') => {
  const bed = cartTestBed();
  bed.variants.add('TEE-M', { status });
  bed.stock.set('TEE-M', stock);
  return bed;
};

describe('AddCartItem', () => {
  it('adds a new line of an active SKU in stock and moves the idle expiry to 30 days after the change', async () => {
    const bed = bedWith(5);
    const cart = bed.openCart(null);
    bed.clock.advance(3 * DAY);
    const changed = await new AddCartItem(bed.deps).execute(cart.id, null, 'TEE-M', 2);
    expect(changed.quantityOf('TEE-M')).toBe(2);
    const row = bed.carts.row(cart.id);
    expect(row?.lines.map((l) => [l.sku, l.quantity])).toEqual([['TEE-M', 2]]);
    expect(row?.expiresAt.getTime()).toBe(bed.clock.now().getTime() + 30 * DAY);
  });

  it('adds to an existing line, checking stock against the line’s new total', async () => {
    const bed = bedWith(5);
    const cart = bed.openCart(null);
    const add = new AddCartItem(bed.deps);
    await add.execute(cart.id, null, 'TEE-M', 3);
    await add.execute(cart.id, null, 'TEE-M', 2);
    expect(bed.carts.row(cart.id)?.lines.map((l) => l.quantity)).toEqual([5]);
    expect(bed.stock.calls.at(-1)?.skus).toEqual(['TEE-M']);
  });

  it('a line whose new total exceeds fresh availability is 409 OUT_OF_STOCK naming the SKU in errors, and nothing is stored', async () => {
    const bed = bedWith(5);
    const cart = bed.openCart(null);
    const add = new AddCartItem(bed.deps);
    await add.execute(cart.id, null, 'TEE-M', 3);
    const refused = add.execute(cart.id, null, 'TEE-M', 3);
    await expect(refused).rejects.toBeInstanceOf(OutOfStockError);
    await expect(refused).rejects.toMatchObject({
      code: 'OUT_OF_STOCK',
      errors: [{ path: 'sku', message: 'TEE-M: 5 available, 6 requested' }],
    });
    expect(bed.carts.row(cart.id)?.lines.map((l) => l.quantity)).toEqual([3]);
  });

  it('a SKU inventory does not know counts as 0 available', async () => {
    const bed = cartTestBed();
    bed.variants.add('NEW-1');
    const cart = bed.openCart(null);
    await expect(new AddCartItem(bed.deps).execute(cart.id, null, 'NEW-1', 1)).rejects.toMatchObject({
      code: 'OUT_OF_STOCK',
      errors: [{ path: 'sku', message: 'NEW-1: 0 available, 1 requested' }],
    });
  });

  it('an unknown SKU, or one whose product is draft or archived, is 404 NOT_FOUND', async () => {
    for (const status of ['draft', 'archived'] as const) {
      const bed = bedWith(5, status);
      const cart = bed.openCart(null);
      await expect(new AddCartItem(bed.deps).execute(cart.id, null, 'TEE-M', 1)).rejects.toBeInstanceOf(
        SkuNotAvailableError,
      );
      expect(bed.carts.row(cart.id)?.lines).toEqual([]);
    }
    const bed = bedWith(5);
    const cart = bed.openCart(null);
    await expect(new AddCartItem(bed.deps).execute(cart.id, null, 'NOPE-1', 1)).rejects.toMatchObject({
      code: 'NOT_FOUND',
    });
  });

  it('a malformed SKU is 404 without asking the catalog', async () => {
    const bed = bedWith(5);
    const cart = bed.openCart(null);
    await expect(new AddCartItem(bed.deps).execute(cart.id, null, '../etc', 1)).rejects.toBeInstanceOf(
      SkuNotAvailableError,
    );
    expect(bed.variants.calls).toEqual([]);
  });

  it('a line above 99 is 409 CONFLICT (not OUT_OF_STOCK), refused before catalog and stock are asked', async () => {
    const bed = bedWith(500);
    const cart = bed.openCart(null);
    const add = new AddCartItem(bed.deps);
    await add.execute(cart.id, null, 'TEE-M', 99);
    const reads = bed.variants.calls.length;
    const refused = add.execute(cart.id, null, 'TEE-M', 1);
    await expect(refused).rejects.toBeInstanceOf(LineQuantityLimitError);
    await expect(refused).rejects.toMatchObject({ code: 'CONFLICT', errors: undefined });
    expect(bed.variants.calls).toHaveLength(reads);
  });

  it('a quantity outside 1–99 is 400 VALIDATION_FAILED on quantity', async () => {
    const bed = bedWith(500);
    const cart = bed.openCart(null);
    for (const quantity of [0, 100, 1.5]) {
      await expect(new AddCartItem(bed.deps).execute(cart.id, null, 'TEE-M', quantity)).rejects.toMatchObject(
        {
          code: 'VALIDATION_FAILED',
          errors: [{ path: 'quantity' }],
        },
      );
    }
  });

  it('catalog and stock are read on the cart transaction’s connection (its tx), never on a second one', async () => {
    const bed = bedWith(5);
    const cart = bed.openCart(null);
    await new AddCartItem(bed.deps).execute(cart.id, null, 'TEE-M', 1);
    expect(bed.variants.calls[0]?.tx).toBeDefined();
    expect(bed.stock.calls[0]?.tx).toBeDefined();
    expect(bed.stock.calls[0]?.tx).toBe(bed.variants.calls[0]?.tx);
  });

  it('a malformed cart id is 404 without a database round trip', async () => {
    const bed = bedWith(5);
    await expect(new AddCartItem(bed.deps).execute('not-a-uuid', null, 'TEE-M', 1)).rejects.toBeInstanceOf(
      CartNotFoundError,
    );
    expect(bed.carts.calls).toEqual({});
    expect(bed.uow.commits).toBe(0);
  });

  it('someone else’s, an unknown or an idle-expired cart is 404 and nothing is read or stored', async () => {
    const bed = bedWith(5);
    const theirs = bed.openCart('customer-1');
    const add = new AddCartItem(bed.deps);
    await expect(add.execute(theirs.id, 'customer-2', 'TEE-M', 1)).rejects.toBeInstanceOf(CartNotFoundError);
    await expect(add.execute(theirs.id, null, 'TEE-M', 1)).rejects.toBeInstanceOf(CartNotFoundError);
    await expect(
      add.execute('00000000-0000-4000-8000-000000000009', null, 'TEE-M', 1),
    ).rejects.toBeInstanceOf(CartNotFoundError);
    const guest = bed.openCart(null);
    bed.clock.advance(30 * DAY);
    await expect(add.execute(guest.id, null, 'TEE-M', 1)).rejects.toBeInstanceOf(CartNotFoundError);
    expect(bed.variants.calls).toEqual([]);
    expect(bed.carts.calls.save).toBeUndefined();
  });
});
