import { describe, expect, it } from 'vitest';
import { cartTestBed } from '../../../test/support/in-memory/cart.repositories.js';
import type { TransactionHandle } from '../../platform/db/unit-of-work.js';
import { CartNotFoundError } from '../domain/cart.errors.js';
import { CloseCart } from './close-cart.use-case.js';

const DAY = 24 * 60 * 60 * 1000;
const TX = {} as TransactionHandle;
const ORDER = '00000000-0000-4000-8000-0000000000aa';
const OTHER_ORDER = '00000000-0000-4000-8000-0000000000bb';

describe('CloseCart', () => {
  it('an open cart is closed for the order placed from it, its lines kept', async () => {
    const bed = cartTestBed();
    const cart = bed.openCart(null);
    cart.addLine('TEE-M', 2, bed.clock.now());
    bed.carts.put(cart);
    await new CloseCart(bed.deps).execute(cart.id, ORDER, TX);
    expect(bed.carts.row(cart.id)).toMatchObject({ status: 'closed', orderId: ORDER });
    expect(bed.carts.row(cart.id)?.lines).toHaveLength(1);
  });

  it('closing again for the same order is fine (idempotent)', async () => {
    const bed = cartTestBed();
    const cart = bed.openCart(null);
    const close = new CloseCart(bed.deps);
    await close.execute(cart.id, ORDER, TX);
    await close.execute(cart.id, ORDER, TX);
    expect(bed.carts.row(cart.id)).toMatchObject({ status: 'closed', orderId: ORDER });
  });

  it('a cart closed by another order, an expired, an idle-expired, an unknown or a malformed cart is 404', async () => {
    const bed = cartTestBed();
    const close = new CloseCart(bed.deps);
    const closed = bed.openCart(null);
    await close.execute(closed.id, ORDER, TX);
    await expect(close.execute(closed.id, OTHER_ORDER, TX)).rejects.toBeInstanceOf(CartNotFoundError);
    expect(bed.carts.row(closed.id)?.orderId).toBe(ORDER);
    const expired = bed.openCart(null);
    expired.expire(bed.clock.now());
    bed.carts.put(expired);
    await expect(close.execute(expired.id, ORDER, TX)).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(close.execute('00000000-0000-4000-8000-000000000009', ORDER, TX)).rejects.toBeInstanceOf(
      CartNotFoundError,
    );
    await expect(close.execute('nope', ORDER, TX)).rejects.toBeInstanceOf(CartNotFoundError);
    const idle = bed.openCart(null);
    bed.clock.advance(30 * DAY);
    await expect(close.execute(idle.id, ORDER, TX)).rejects.toBeInstanceOf(CartNotFoundError);
    expect(bed.carts.row(idle.id)?.status).toBe('open');
  });

  it('runs inside the caller’s transaction (it commits nothing of its own)', async () => {
    const bed = cartTestBed();
    const cart = bed.openCart(null);
    await new CloseCart(bed.deps).execute(cart.id, ORDER, TX);
    expect(bed.uow.commits).toBe(0);
  });
});
