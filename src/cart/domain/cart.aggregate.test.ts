import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../platform/clock.js';
import { Cart, DEFAULT_IDLE_TTL_MS } from './cart.aggregate.js';
import { CartLineNotFoundError, CustomerCartEmailError, LineQuantityLimitError } from './cart.errors.js';

const DAY = 24 * 60 * 60 * 1000;
const open = (clock: ManualClock, customerId: string | null = null, id = 'cart-1') =>
  Cart.open({ id, customerId, currency: 'EUR', now: clock.now(), idleTtlMs: DEFAULT_IDLE_TTL_MS });

describe('Cart', () => {
  it('adds to an existing line and caps a line at 99', () => {
    const clock = new ManualClock();
    const cart = open(clock);
    cart.addLine('A', 60, clock.now());
    cart.addLine('A', 39, clock.now());
    expect(cart.quantityOf('A')).toBe(99);
    expect(() => cart.addLine('A', 1, clock.now())).toThrow(LineQuantityLimitError);
    expect(() => cart.addLine('B', 0, clock.now())).toThrow(/quantity/i);
  });

  it('sets a quantity, removes at 0, and 404s an unknown line', () => {
    const clock = new ManualClock();
    const cart = open(clock);
    cart.addLine('A', 2, clock.now());
    cart.changeQuantity('A', 5, clock.now());
    expect(cart.quantityOf('A')).toBe(5);
    cart.changeQuantity('A', 0, clock.now());
    expect(cart.lines).toEqual([]);
    expect(() => cart.removeLine('A', clock.now())).toThrow(CartLineNotFoundError);
  });

  it('reopens with its lines only for the order that closed it (payment declined)', () => {
    const clock = new ManualClock();
    const cart = open(clock);
    cart.addLine('A', 2, clock.now());
    cart.close('order-1', clock.now());
    expect(cart.reopenAfter('order-2', clock.now())).toBe(false);
    expect(cart.status).toBe('closed');
    clock.advance(10 * DAY);
    expect(cart.reopenAfter('order-1', clock.now())).toBe(true);
    expect(cart.status).toBe('open');
    expect(cart.orderId).toBeNull();
    expect(cart.quantityOf('A')).toBe(2);
    expect(cart.expiresAt.getTime()).toBe(clock.now().getTime() + DEFAULT_IDLE_TTL_MS);
    expect(cart.reopenAfter('order-1', clock.now())).toBe(false);
  });

  it('expires 30 days after the last change', () => {
    const clock = new ManualClock();
    const cart = open(clock);
    clock.advance(20 * DAY);
    cart.addLine('A', 1, clock.now());
    clock.advance(29 * DAY);
    expect(cart.isLiveAt(clock.now())).toBe(true);
    clock.advance(1 * DAY);
    expect(cart.isLiveAt(clock.now())).toBe(false);
  });

  it('is visible to anyone when a guest cart, only to its customer otherwise', () => {
    const clock = new ManualClock();
    expect(open(clock).isVisibleTo(null)).toBe(true);
    const own = open(clock, 'customer-1');
    expect(own.isVisibleTo('customer-1')).toBe(true);
    expect(own.isVisibleTo('customer-2')).toBe(false);
    expect(own.isVisibleTo(null)).toBe(false);
    expect(() => own.setEmail('a@example.com', clock.now())).toThrow(CustomerCartEmailError);
  });

  it('merges a guest cart: quantities added and capped, empty fields filled, the guest closed', () => {
    const clock = new ManualClock();
    const own = open(clock, 'customer-1', 'own');
    own.addLine('A', 50, clock.now());
    own.applyPromotion('MINE', clock.now());
    const guest = open(clock, null, 'guest');
    guest.addLine('A', 60, clock.now());
    guest.addLine('B', 1, clock.now());
    guest.applyPromotion('GUEST', clock.now());
    guest.setShipping(
      { name: 'N', line1: 'L', city: 'C', postalCode: 'P', country: 'DE' },
      'standard',
      clock.now(),
    );
    guest.setEmail('g@example.com', clock.now());
    own.mergeFrom(guest, clock.now());
    expect(own.lines.map((l) => [l.sku, l.quantity])).toEqual([
      ['A', 99],
      ['B', 1],
    ]);
    expect(own.promotionCode).toBe('MINE');
    expect(own.shippingOption).toBe('standard');
    expect(own.email).toBeNull(); // a customer's cart has no email: the account's applies
    expect(guest.status).toBe('closed');
    expect(guest.isLiveAt(clock.now())).toBe(false);
  });

  it('drops the guest email when a guest cart becomes a customer’s', () => {
    const clock = new ManualClock();
    const guest = open(clock, null, 'guest');
    guest.setEmail('g@example.com', clock.now());
    guest.assignTo('customer-1', clock.now());
    expect(guest.customerId).toBe('customer-1');
    expect(guest.email).toBeNull();
    expect(() => guest.setEmail('g@example.com', clock.now())).toThrow(CustomerCartEmailError);
  });

  it('closes once per order', () => {
    const clock = new ManualClock();
    const cart = open(clock);
    cart.close('order-1', clock.now());
    cart.close('order-1', clock.now());
    expect(cart.status).toBe('closed');
    expect(cart.orderId).toBe('order-1');
  });
});
