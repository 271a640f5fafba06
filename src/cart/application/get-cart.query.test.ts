import { describe, expect, it } from 'vitest';
import { cartTestBed } from '../../../test/support/in-memory/cart.repositories.js';
import { CartNotFoundError } from '../domain/cart.errors.js';
import { GetCart } from './get-cart.query.js';

const DAY = 24 * 60 * 60 * 1000;

describe('GetCart', () => {
  it('a guest cart is visible to whoever holds its id, signed in or not', async () => {
    const bed = cartTestBed();
    const guest = bed.openCart(null);
    const get = new GetCart(bed.deps);
    expect((await get.execute(guest.id, null)).id).toBe(guest.id);
    expect((await get.execute(guest.id, 'customer-2')).id).toBe(guest.id);
  });

  it('a customer’s cart is visible to that customer only: anyone else, anonymous included, gets 404', async () => {
    const bed = cartTestBed();
    const own = bed.openCart('customer-1');
    const get = new GetCart(bed.deps);
    expect((await get.execute(own.id, 'customer-1')).id).toBe(own.id);
    await expect(get.execute(own.id, 'customer-2')).rejects.toBeInstanceOf(CartNotFoundError);
    await expect(get.execute(own.id, null)).rejects.toBeInstanceOf(CartNotFoundError);
  });

  it('an unknown id and a malformed id are 404 NOT_FOUND (the malformed one is not even looked up)', async () => {
    const bed = cartTestBed();
    const get = new GetCart(bed.deps);
    await expect(get.execute('00000000-0000-4000-8000-000000000009', null)).rejects.toMatchObject({
      code: 'NOT_FOUND',
    });
    const lookups = bed.carts.calls.find ?? 0;
    await expect(get.execute('not-a-uuid', null)).rejects.toBeInstanceOf(CartNotFoundError);
    expect(bed.carts.calls.find ?? 0).toBe(lookups);
  });

  it('closed and expired carts are 404', async () => {
    const bed = cartTestBed();
    const closed = bed.openCart(null);
    closed.close('00000000-0000-4000-8000-0000000000aa', bed.clock.now());
    bed.carts.put(closed);
    const expired = bed.openCart(null);
    expired.expire(bed.clock.now());
    bed.carts.put(expired);
    const get = new GetCart(bed.deps);
    await expect(get.execute(closed.id, null)).rejects.toBeInstanceOf(CartNotFoundError);
    await expect(get.execute(expired.id, null)).rejects.toBeInstanceOf(CartNotFoundError);
  });

  it('a cart past its idle expiry is 404 at once, before any sweeper marks it expired', async () => {
    const bed = cartTestBed();
    const cart = bed.openCart(null);
    const get = new GetCart(bed.deps);
    bed.clock.advance(30 * DAY - 1);
    expect((await get.execute(cart.id, null)).id).toBe(cart.id);
    bed.clock.advance(1);
    await expect(get.execute(cart.id, null)).rejects.toBeInstanceOf(CartNotFoundError);
    expect(bed.carts.row(cart.id)?.status).toBe('open');
  });

  it('reading a cart writes nothing', async () => {
    const bed = cartTestBed();
    const cart = bed.openCart(null);
    await new GetCart(bed.deps).execute(cart.id, null);
    expect(bed.uow.commits).toBe(0);
    expect(bed.carts.calls.save).toBeUndefined();
  });
});
