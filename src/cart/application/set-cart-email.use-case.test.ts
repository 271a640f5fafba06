import { describe, expect, it } from 'vitest';
import { cartTestBed } from '../../../test/support/in-memory/cart.repositories.js';
import { CartNotFoundError, CustomerCartEmailError } from '../domain/cart.errors.js';
import { SetCartEmail } from './set-cart-email.use-case.js';

describe('SetCartEmail', () => {
  it('a guest cart takes an email', async () => {
    const bed = cartTestBed();
    const cart = bed.openCart(null);
    await new SetCartEmail(bed.deps).execute(cart.id, null, 'guest@example.com');
    expect(bed.carts.row(cart.id)?.email).toBe('guest@example.com');
  });

  it('a customer’s cart is 409 CONFLICT (the account’s email applies) and keeps no email', async () => {
    const bed = cartTestBed();
    const cart = bed.openCart('customer-1');
    const refused = new SetCartEmail(bed.deps).execute(cart.id, 'customer-1', 'x@example.com');
    await expect(refused).rejects.toBeInstanceOf(CustomerCartEmailError);
    await expect(refused).rejects.toMatchObject({
      code: 'CONFLICT',
      message: expect.stringMatching(/only guest carts/),
    });
    expect(bed.carts.row(cart.id)?.email).toBeNull();
  });

  it('anonymous callers do not see a customer’s cart at all: 404, not 409', async () => {
    const bed = cartTestBed();
    const cart = bed.openCart('customer-1');
    await expect(new SetCartEmail(bed.deps).execute(cart.id, null, 'x@example.com')).rejects.toBeInstanceOf(
      CartNotFoundError,
    );
  });
});
