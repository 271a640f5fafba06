import { describe, expect, it } from 'vitest';
import { cartTestBed } from '../../../test/support/in-memory/cart.repositories.js';
import type { TransactionHandle } from '../../platform/db/unit-of-work.js';
import { EraseCustomerCarts } from './erase-customer-carts.use-case.js';

const DAY = 24 * 60 * 60 * 1000;
const TX = {} as TransactionHandle;
const ADDRESS = { name: 'Ada', line1: 'Main St 1', city: 'Berlin', postalCode: '10115', country: 'DE' };

describe('EraseCustomerCarts', () => {
  it('every cart of the customer loses its email and shipping address; the open one expires, a closed one stays closed', async () => {
    const bed = cartTestBed();
    const closed = bed.openCart('customer-1');
    closed.setShipping(ADDRESS, 'standard', bed.clock.now());
    closed.close('00000000-0000-4000-8000-0000000000aa', bed.clock.now());
    bed.carts.put(closed);
    const open = bed.openCart('customer-1');
    open.setShipping(ADDRESS, 'express', bed.clock.now());
    open.addLine('TEE-M', 1, bed.clock.now());
    bed.carts.put(open);
    bed.clock.advance(DAY);

    expect(await new EraseCustomerCarts(bed.deps).execute('customer-1', TX)).toBe(2);
    expect(bed.carts.row(closed.id)).toMatchObject({ status: 'closed', email: null, shippingAddress: null });
    expect(bed.carts.row(open.id)).toMatchObject({
      status: 'expired',
      email: null,
      shippingAddress: null,
      updatedAt: bed.clock.now(),
    });
  });

  it('other customers’ and guests’ carts are untouched', async () => {
    const bed = cartTestBed();
    const other = bed.openCart('customer-2');
    other.setShipping(ADDRESS, 'standard', bed.clock.now());
    bed.carts.put(other);
    const guest = bed.openCart(null);
    guest.setEmail('guest@example.com', bed.clock.now());
    bed.carts.put(guest);
    const before = bed.carts.all();
    expect(await new EraseCustomerCarts(bed.deps).execute('customer-1', TX)).toBe(0);
    expect(bed.carts.all()).toEqual(before);
  });

  it('runs inside the consumer’s inbox transaction (it commits nothing of its own)', async () => {
    const bed = cartTestBed();
    bed.openCart('customer-1');
    await new EraseCustomerCarts(bed.deps).execute('customer-1', TX);
    expect(bed.uow.commits).toBe(0);
    expect(bed.carts.calls.eraseCustomer).toBe(1);
  });
});
