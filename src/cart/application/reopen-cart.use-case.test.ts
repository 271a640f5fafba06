import { describe, expect, it } from 'vitest';
import { cartTestBed } from '../../../test/support/in-memory/cart.repositories.js';
import type { TransactionHandle } from '../../platform/db/unit-of-work.js';
import { ReopenCart } from './reopen-cart.use-case.js';

const DAY = 24 * 60 * 60 * 1000;
const TX = {} as TransactionHandle;
const ORDER = '00000000-0000-4000-8000-0000000000aa';
const OTHER_ORDER = '00000000-0000-4000-8000-0000000000bb';

const closedCart = (customerId: string | null = null) => {
  const bed = cartTestBed();
  const cart = bed.openCart(customerId);
  cart.addLine('TEE-M', 2, bed.clock.now());
  cart.close(ORDER, bed.clock.now());
  bed.carts.put(cart);
  return { bed, cart, reopen: new ReopenCart(bed.deps) };
};

describe('ReopenCart', () => {
  it('the cart the declined order closed is open again with its lines, idle expiry counted from now', async () => {
    const { bed, cart, reopen } = closedCart();
    bed.clock.advance(10 * DAY);
    expect(await reopen.execute(cart.id, ORDER, TX)).toBe(true);
    const row = bed.carts.row(cart.id);
    expect(row).toMatchObject({ status: 'open', orderId: null });
    expect(row?.lines.map((l) => [l.sku, l.quantity])).toEqual([['TEE-M', 2]]);
    expect(row?.expiresAt.getTime()).toBe(bed.clock.now().getTime() + 30 * DAY);
  });

  it('another order cannot reopen it: false, the cart stays closed', async () => {
    const { bed, cart, reopen } = closedCart();
    expect(await reopen.execute(cart.id, OTHER_ORDER, TX)).toBe(false);
    expect(bed.carts.row(cart.id)).toMatchObject({ status: 'closed', orderId: ORDER });
  });

  it('reopening twice is true twice (idempotent)', async () => {
    const { bed, cart, reopen } = closedCart();
    expect(await reopen.execute(cart.id, ORDER, TX)).toBe(true);
    expect(await reopen.execute(cart.id, ORDER, TX)).toBe(true);
    expect(bed.carts.row(cart.id)?.status).toBe('open');
  });

  it('a customer who opened another cart since keeps that one: the old cart stays closed (false)', async () => {
    const { bed, cart, reopen } = closedCart('customer-1');
    const newer = bed.openCart('customer-1');
    expect(await reopen.execute(cart.id, ORDER, TX)).toBe(false);
    expect(bed.carts.row(cart.id)?.status).toBe('closed');
    expect(bed.carts.row(newer.id)?.status).toBe('open');
  });

  it('a customer’s cart with no newer open cart is reopened', async () => {
    const { bed, cart, reopen } = closedCart('customer-1');
    expect(await reopen.execute(cart.id, ORDER, TX)).toBe(true);
    expect(bed.carts.row(cart.id)?.status).toBe('open');
  });

  it('an expired, unknown or malformed cart is not reopened (false)', async () => {
    const bed = cartTestBed();
    const expired = bed.openCart(null);
    expired.expire(bed.clock.now());
    bed.carts.put(expired);
    const reopen = new ReopenCart(bed.deps);
    expect(await reopen.execute(expired.id, ORDER, TX)).toBe(false);
    expect(bed.carts.row(expired.id)?.status).toBe('expired');
    expect(await reopen.execute('00000000-0000-4000-8000-000000000009', ORDER, TX)).toBe(false);
    expect(await reopen.execute('nope', ORDER, TX)).toBe(false);
  });
});
