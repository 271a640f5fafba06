import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../platform/clock.js';
import { Cart, DEFAULT_IDLE_TTL_MS } from './cart.aggregate.js';
import { CartNotFoundError } from './cart.errors.js';
import { CART_STATUSES, CART_TRANSITIONS, cartStates } from './cart.lifecycle.js';

const ORDER = 'order-1';
const open = (clock: ManualClock) =>
  Cart.open({
    id: 'cart-1',
    customerId: null,
    currency: 'EUR',
    now: clock.now(),
    idleTtlMs: DEFAULT_IDLE_TTL_MS,
  });

describe('cart life cycle', () => {
  it('an open cart may be closed or expire; a closed one may be reopened; expired is final', () => {
    expect(CART_TRANSITIONS).toEqual({ open: ['closed', 'expired'], closed: ['open'], expired: [] });
    expect(cartStates.states).toEqual([...CART_STATUSES]);
    expect(cartStates.isFinal('expired')).toBe(true);
  });

  it('an illegal move is 404 NOT_FOUND (CartNotFoundError), the one answer for a cart that is not open', () => {
    expect(() => cartStates.transition('expired', 'open')).toThrow(CartNotFoundError);
    expect(() => cartStates.transition('closed', 'expired')).toThrow(CartNotFoundError);
    expect(() => cartStates.transition('closed', 'closed')).toThrow(CartNotFoundError);
  });

  it('an expired cart cannot be closed, merged away or expired again: 404, and it stays expired', () => {
    const clock = new ManualClock();
    const cart = open(clock);
    cart.expire(clock.now());
    expect(() => cart.close(ORDER, clock.now())).toThrow(CartNotFoundError);
    expect(() => cart.expire(clock.now())).toThrow(CartNotFoundError);
    const own = Cart.open({
      id: 'own',
      customerId: 'c',
      currency: 'EUR',
      now: clock.now(),
      idleTtlMs: DEFAULT_IDLE_TTL_MS,
    });
    expect(() => own.mergeFrom(cart, clock.now())).toThrow(CartNotFoundError);
    expect(own.updatedAt).toEqual(clock.now());
    expect(cart.status).toBe('expired');
    expect(cart.reopenAfter(ORDER, clock.now())).toBe(false);
  });

  it('a cart closed by one order cannot be closed by another: 404, it keeps the first order', () => {
    const clock = new ManualClock();
    const cart = open(clock);
    cart.close(ORDER, clock.now());
    expect(() => cart.close('order-2', clock.now())).toThrow(CartNotFoundError);
    expect(cart.orderId).toBe(ORDER);
  });

  it('a closed cart cannot expire (only open carts go idle)', () => {
    const clock = new ManualClock();
    const cart = open(clock);
    cart.close(ORDER, clock.now());
    expect(() => cart.expire(clock.now())).toThrow(CartNotFoundError);
    expect(cart.status).toBe('closed');
  });
});
