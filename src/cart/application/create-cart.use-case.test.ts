import { describe, expect, it, vi } from 'vitest';
import { cartTestBed } from '../../../test/support/in-memory/cart.repositories.js';
import { ConflictError } from '../../platform/errors.js';
import { Cart, DEFAULT_IDLE_TTL_MS } from '../domain/cart.aggregate.js';
import { CreateCart } from './create-cart.use-case.js';

const DAY = 24 * 60 * 60 * 1000;
const CUSTOMER = 'customer-1';

describe('CreateCart', () => {
  it('an anonymous caller gets a new, empty guest cart in the region currency, expiring 30 days from now', async () => {
    const bed = cartTestBed();
    const { cart, created } = await new CreateCart(bed.deps).execute(null);
    expect(created).toBe(true);
    const row = bed.carts.row(cart.id);
    expect(row).toMatchObject({ customerId: null, email: null, status: 'open', currency: 'EUR', lines: [] });
    expect(row?.expiresAt.getTime()).toBe(bed.clock.now().getTime() + DEFAULT_IDLE_TTL_MS);
  });

  it('a signed-in caller gets a new cart bound to them', async () => {
    const bed = cartTestBed();
    const { cart, created } = await new CreateCart(bed.deps).execute(CUSTOMER);
    expect(created).toBe(true);
    expect(bed.carts.row(cart.id)?.customerId).toBe(CUSTOMER);
  });

  it('a customer who has an open cart gets that cart back, not a second one (created: false)', async () => {
    const bed = cartTestBed();
    const own = bed.openCart(CUSTOMER);
    const { cart, created } = await new CreateCart(bed.deps).execute(CUSTOMER);
    expect(created).toBe(false);
    expect(cart.id).toBe(own.id);
    expect(bed.carts.all()).toHaveLength(1);
  });

  it('a customer whose open cart is past its idle expiry gets a new cart, and the old one is marked expired', async () => {
    const bed = cartTestBed();
    const old = bed.openCart(CUSTOMER);
    bed.clock.advance(30 * DAY);
    const { cart, created } = await new CreateCart(bed.deps).execute(CUSTOMER);
    expect(created).toBe(true);
    expect(cart.id).not.toBe(old.id);
    expect(bed.carts.row(old.id)?.status).toBe('expired');
    expect(bed.carts.row(cart.id)?.status).toBe('open');
  });

  it('guests never share a cart: every anonymous call makes a new one', async () => {
    const bed = cartTestBed();
    bed.openCart(null);
    const { created } = await new CreateCart(bed.deps).execute(null);
    expect(created).toBe(true);
    expect(bed.carts.all()).toHaveLength(2);
  });

  it('when a concurrent request created the customer’s cart first, that cart is answered', async () => {
    const bed = cartTestBed();
    const theirs = Cart.open({
      id: '00000000-0000-4000-8000-000000000001',
      customerId: CUSTOMER,
      currency: 'EUR',
      now: bed.clock.now(),
      idleTtlMs: DEFAULT_IDLE_TTL_MS,
    });
    // the other request commits first: the unique index refuses ours once, then the original runs
    vi.spyOn(bed.carts, 'insert').mockImplementationOnce(async () => {
      bed.carts.put(theirs);
      return false;
    });
    const { cart, created } = await new CreateCart(bed.deps).execute(CUSTOMER);
    expect(created).toBe(false);
    expect(cart.id).toBe(theirs.id);
    expect(bed.carts.all()).toHaveLength(1);
  });

  it('a customer’s cart that cannot be inserted three times running is 409 CONFLICT', async () => {
    const bed = cartTestBed();
    const insert = vi.spyOn(bed.carts, 'insert').mockResolvedValue(false);
    const outcome = new CreateCart(bed.deps).execute(CUSTOMER);
    await expect(outcome).rejects.toBeInstanceOf(ConflictError);
    await expect(outcome).rejects.toMatchObject({ code: 'CONFLICT' });
    expect(insert).toHaveBeenCalledTimes(3);
  });
});
