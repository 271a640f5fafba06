import { describe, expect, it, vi } from 'vitest';
import { cartTestBed } from '../../../test/support/in-memory/cart.repositories.js';
import { ConflictError } from '../../platform/errors.js';
import { AdoptGuestCart } from './adopt-guest-cart.use-case.js';

const DAY = 24 * 60 * 60 * 1000;
const CUSTOMER = 'customer-1';
const ADDRESS = { name: 'G', line1: 'Guest St 1', city: 'Paris', postalCode: '75001', country: 'FR' };

const guestCart = (bed: ReturnType<typeof cartTestBed>) => {
  const guest = bed.openCart(null);
  guest.addLine('TEE-M', 60, bed.clock.now());
  guest.addLine('CAP-1', 1, bed.clock.now());
  guest.applyPromotion('GUEST10', bed.clock.now());
  guest.setShipping(ADDRESS, 'express', bed.clock.now());
  guest.setEmail('guest@example.com', bed.clock.now());
  bed.carts.put(guest);
  return guest;
};

describe('AdoptGuestCart', () => {
  it('a customer without an open cart gets the guest cart itself, without the guest’s email', async () => {
    const bed = cartTestBed();
    const guest = guestCart(bed);
    await new AdoptGuestCart(bed.deps).execute(guest.id, CUSTOMER);
    const row = bed.carts.row(guest.id);
    expect(row).toMatchObject({
      customerId: CUSTOMER,
      email: null,
      status: 'open',
      promotionCode: 'GUEST10',
    });
    expect(row?.lines).toHaveLength(2);
  });

  it('a customer with an open cart gets the guest’s lines added (capped at 99), coupon and shipping only where theirs has none; the guest cart is closed and emptied', async () => {
    const bed = cartTestBed();
    const own = bed.openCart(CUSTOMER);
    own.addLine('TEE-M', 50, bed.clock.now());
    own.applyPromotion('MINE', bed.clock.now());
    bed.carts.put(own);
    const guest = guestCart(bed);
    await new AdoptGuestCart(bed.deps).execute(guest.id, CUSTOMER);
    const mine = bed.carts.row(own.id);
    expect(mine?.lines.map((l) => [l.sku, l.quantity])).toEqual([
      ['TEE-M', 99],
      ['CAP-1', 1],
    ]);
    expect(mine).toMatchObject({ promotionCode: 'MINE', shippingOption: 'express', email: null });
    expect(mine?.shippingAddress).toEqual(ADDRESS);
    expect(bed.carts.row(guest.id)).toMatchObject({ status: 'closed', lines: [], customerId: null });
  });

  it('a customer whose open cart is idle-expired has it marked expired and takes the guest cart instead', async () => {
    const bed = cartTestBed();
    const own = bed.openCart(CUSTOMER);
    bed.clock.advance(20 * DAY);
    const guest = guestCart(bed);
    bed.clock.advance(10 * DAY);
    await new AdoptGuestCart(bed.deps).execute(guest.id, CUSTOMER);
    expect(bed.carts.row(own.id)?.status).toBe('expired');
    expect(bed.carts.row(guest.id)).toMatchObject({ customerId: CUSTOMER, status: 'open' });
  });

  it('a customer’s cart, an unknown, a malformed, a closed or an idle-expired id: nothing happens', async () => {
    const bed = cartTestBed();
    const adopt = new AdoptGuestCart(bed.deps);
    const someoneElses = bed.openCart('customer-2');
    const closed = bed.openCart(null);
    closed.close('00000000-0000-4000-8000-0000000000aa', bed.clock.now());
    bed.carts.put(closed);
    const before = bed.carts.all();
    await adopt.execute(someoneElses.id, CUSTOMER);
    await adopt.execute('00000000-0000-4000-8000-000000000009', CUSTOMER);
    await adopt.execute('not-a-uuid', CUSTOMER);
    await adopt.execute(closed.id, CUSTOMER);
    const idle = bed.openCart(null);
    bed.clock.advance(30 * DAY);
    await adopt.execute(idle.id, CUSTOMER);
    expect(bed.carts.all()).toEqual([...before, bed.carts.row(idle.id)]);
    expect(bed.carts.row(idle.id)).toMatchObject({ customerId: null, status: 'open' });
    expect(bed.carts.calls.save).toBeUndefined();
  });

  it('when the customer’s cart changes hands between lookup and lock, it looks again; three times running is 409 CONFLICT', async () => {
    const bed = cartTestBed();
    const guest = guestCart(bed);
    const moved = bed.openCart('customer-2');
    const lookup = vi.spyOn(bed.carts, 'findOpenIdOfCustomer').mockResolvedValue(moved.id);
    const outcome = new AdoptGuestCart(bed.deps).execute(guest.id, CUSTOMER);
    await expect(outcome).rejects.toBeInstanceOf(ConflictError);
    await expect(outcome).rejects.toMatchObject({ code: 'CONFLICT' });
    expect(lookup).toHaveBeenCalledTimes(3);
    expect(bed.carts.row(guest.id)?.customerId).toBeNull();
  });

  it('the guest cart and the customer’s cart are locked together, in one call (the repository orders the locks by id)', async () => {
    const bed = cartTestBed();
    const own = bed.openCart(CUSTOMER);
    const guest = guestCart(bed);
    const lockMany = vi.spyOn(bed.carts, 'lockMany');
    await new AdoptGuestCart(bed.deps).execute(guest.id, CUSTOMER);
    expect(lockMany).toHaveBeenCalledTimes(1);
    expect(lockMany.mock.calls[0]?.[0]).toEqual(expect.arrayContaining([guest.id, own.id]));
  });
});
