import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { IllegalStateTransitionError, ValidationError } from '../../platform/errors.js';
import { Order, type OrderStatusChanged, type PlaceOrderInput } from './order.aggregate.js';
import { ORDER_STATUS_VALUES, type OrderStatus, orderStates } from './order.lifecycle.js';
import { OrderInvariantError } from './orders.errors.js';

const at = new Date('2026-03-01T12:00:00Z');
const later = new Date('2026-03-01T12:05:00Z');
const customer = { kind: 'customer' as const, id: '3f1d1a4e-2b8c-4a55-9a0e-5f6f3f0c2a11' };
const system = { kind: 'system' as const };

const placeInput = (over: Partial<PlaceOrderInput> = {}): PlaceOrderInput => ({
  id: '0b6f6c58-8a3f-4c57-9d42-3d2b7d1f9e01',
  number: 'EU-000123',
  cartId: '7e0c1d52-0d6e-4b7a-8f3c-2a1b0c9d8e7f',
  customerId: customer.id,
  email: 'Ada@Example.com',
  currency: 'EUR',
  taxMode: 'inclusive',
  lines: [
    {
      sku: 'LAMP-1',
      name: 'Desk lamp',
      quantity: 2,
      unitPrice: 2500,
      subtotal: 5000,
      discount: 500,
      lineTotal: 4500,
      tax: 750,
    },
    {
      sku: 'BULB-1',
      name: 'Bulb',
      quantity: 1,
      unitPrice: 300,
      subtotal: 300,
      discount: 0,
      lineTotal: 300,
      tax: 50,
    },
  ],
  subtotal: 5300,
  discount: 500,
  shipping: 495,
  tax: 800,
  total: 5295,
  promotionCode: 'SAVE10',
  shippingAddress: { name: 'Ada', line1: '1 Main St', city: 'Dublin', postalCode: 'D01', country: 'IE' },
  shippingOption: { code: 'standard', name: 'Standard (3-5 days)' },
  ...over,
});

/** Drives an order to `status` along the happy path. */
const orderIn = (status: OrderStatus): Order => {
  const order = Order.place(placeInput(), customer, at);
  const path: OrderStatus[] = [
    'PAYMENT_AUTHORIZED',
    'CONFIRMED',
    'PROCESSING',
    'SHIPPED',
    'DELIVERED',
    'COMPLETED',
  ];
  if (status === 'CANCELLED') order.moveTo('CANCELLED', { actor: system }, later);
  else
    for (const s of path) {
      if (order.status === status) break;
      order.moveTo(s, { actor: system }, later);
    }
  if (status === 'CREATED') return Order.restore({ ...order.snapshot(), status: 'CREATED' });
  order.pullEvents();
  return order;
};

describe('Order', () => {
  it('is placed CREATED then PAYMENT_PENDING, with two history entries and OrderPlaced', () => {
    const order = Order.place(placeInput(), customer, at);
    const s = order.snapshot();
    expect(s.status).toBe('PAYMENT_PENDING');
    expect(s.email).toBe('ada@example.com');
    expect(s.history).toEqual([
      { from: null, status: 'CREATED', at, reason: null, actor: customer },
      { from: 'CREATED', status: 'PAYMENT_PENDING', at, reason: null, actor: customer },
    ]);
    expect(order.unsavedHistory()).toHaveLength(2);
    const events = order.pullEvents();
    expect(events.map((e) => e.name)).toEqual(['OrderPlaced', 'OrderStatusChanged']);
    expect(events[0]).toMatchObject({
      aggregateId: s.id,
      number: 'EU-000123',
      customerId: customer.id,
      currency: 'EUR',
      total: 5295,
      lines: [
        { sku: 'LAMP-1', quantity: 2, unitPrice: 2500 },
        { sku: 'BULB-1', quantity: 1, unitPrice: 300 },
      ],
    });
    // events carry no personal data
    expect(JSON.stringify(events)).not.toMatch(/ada|Main St|Dublin/i);
  });

  it('adds tax on top in exclusive regions', () => {
    expect(() =>
      Order.place(placeInput({ taxMode: 'exclusive', total: 5295 + 800 }), customer, at),
    ).not.toThrow();
    expect(() => Order.place(placeInput({ taxMode: 'exclusive' }), customer, at)).toThrow(
      OrderInvariantError,
    );
  });

  it('refuses amounts that do not add up, no lines, floats and actors without ids', () => {
    const bad: Partial<PlaceOrderInput>[] = [
      { total: 5296 },
      { subtotal: 5301 },
      { discount: 400 },
      { lines: [] },
      { currency: 'eur' },
      { shipping: 4.95 },
      { number: 'eu-123' },
      { email: 'nobody' },
      {
        lines: [
          {
            sku: 'X',
            name: 'X',
            quantity: 2,
            unitPrice: 100,
            subtotal: 201,
            discount: 0,
            lineTotal: 201,
            tax: 0,
          },
        ],
        subtotal: 201,
        discount: 0,
        total: 201 + 495,
      },
    ];
    for (const over of bad)
      expect(() => Order.place(placeInput(over), customer, at), JSON.stringify(over)).toThrow(
        OrderInvariantError,
      );
    expect(() => Order.place(placeInput(), { kind: 'customer' }, at)).toThrow(OrderInvariantError);
    expect(() => Order.place(placeInput(), { kind: 'guest', id: customer.id }, at)).toThrow(
      OrderInvariantError,
    );
  });

  it('moves with a history entry (who, when, why) and OrderStatusChanged', () => {
    const order = orderIn('PAYMENT_PENDING');
    const saved = Order.restore(order.snapshot());
    saved.moveTo('PAYMENT_AUTHORIZED', { actor: system, reason: '  authorized  ' }, later);
    const s = saved.snapshot();
    expect(s.status).toBe('PAYMENT_AUTHORIZED');
    expect(s.statusChangedAt).toEqual(later);
    expect(s.history.at(-1)).toEqual({
      from: 'PAYMENT_PENDING',
      status: 'PAYMENT_AUTHORIZED',
      at: later,
      reason: 'authorized',
      actor: system,
    });
    expect(saved.unsavedHistory()).toEqual([s.history.at(-1)]);
    const [event] = saved.pullEvents() as OrderStatusChanged[];
    expect(event).toMatchObject({
      name: 'OrderStatusChanged',
      from: 'PAYMENT_PENDING',
      to: 'PAYMENT_AUTHORIZED',
      reason: 'authorized',
    });
  });

  it('refuses every illegal move from every status with a 409, changing nothing', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...ORDER_STATUS_VALUES),
        fc.constantFrom(...ORDER_STATUS_VALUES),
        (from, to) => {
          const order = orderIn(from);
          const before = order.snapshot();
          if (orderStates.can(from, to)) {
            order.moveTo(to, { actor: system }, later);
            expect(order.snapshot().history).toHaveLength(before.history.length + 1);
            expect(order.pullEvents()).toHaveLength(1);
          } else {
            expect(() => order.moveTo(to, { actor: system }, later)).toThrow(IllegalStateTransitionError);
            expect(order.snapshot()).toEqual(before);
            expect(order.pullEvents()).toEqual([]);
          }
        },
      ),
      { numRuns: 300 },
    );
  });

  it('takes a reason of at most 500 characters on one line', () => {
    const order = orderIn('CONFIRMED');
    expect(() => order.moveTo('CANCELLED', { actor: system, reason: 'x'.repeat(501) }, later)).toThrow(
      ValidationError,
    );
    expect(() => order.moveTo('CANCELLED', { actor: system, reason: 'a\nb' }, later)).toThrow(
      ValidationError,
    );
    expect(order.status).toBe('CONFIRMED');
    order.moveTo('CANCELLED', { actor: system, reason: '📦'.repeat(500) }, later);
    expect(order.status).toBe('CANCELLED');
  });

  it('hands out copies: changing a snapshot changes nothing', () => {
    const order = orderIn('CONFIRMED');
    const s = order.snapshot();
    s.lines[0]!.quantity = 99;
    s.history.length = 0;
    expect(order.snapshot().lines[0]!.quantity).toBe(2);
    expect(order.snapshot().history.length).toBeGreaterThan(0);
  });
});

describe('a note on the order', () => {
  it('is a note, not a history entry: the order does not move, no event, no X → X row', () => {
    const order = Order.place(placeInput(), customer, at);
    order.pullEvents();
    const before = order.snapshot();
    expect(
      order.note({ actor: system, reason: 'payment capture failed (unavailable: outage); retrying' }, later),
    ).toBe(true);
    const after = order.snapshot();
    expect(after.status).toBe(before.status);
    expect(after.statusChangedAt).toEqual(before.statusChangedAt);
    expect(after.history).toEqual(before.history);
    expect(after.history.every((h) => h.from !== h.status)).toBe(true);
    expect(after.notes).toEqual([
      { at: later, text: 'payment capture failed (unavailable: outage); retrying', actor: system },
    ]);
    expect(order.unsavedNotes()).toEqual(after.notes);
    expect(order.unsavedHistory()).toHaveLength(before.history.length); // the two of placing, unsaved yet
    expect(order.pullEvents()).toEqual([]);
    order.markSaved(1);
    expect(order.unsavedNotes()).toEqual([]);
  });

  it('does not repeat the latest note, and needs a reason', () => {
    const order = Order.place(placeInput(), customer, at);
    expect(order.note({ actor: system, reason: 'capture failed' }, later)).toBe(true);
    expect(order.note({ actor: system, reason: ' capture failed ' }, later)).toBe(false);
    expect(order.note({ actor: system, reason: 'captured' }, later)).toBe(true);
    expect(order.snapshot().notes.map((n) => n.text)).toEqual(['capture failed', 'captured']);
    expect(order.snapshot().history).toHaveLength(2); // CREATED, PAYMENT_PENDING
    expect(() => order.note({ actor: system, reason: '  ' }, later)).toThrow(OrderInvariantError);
  });
});
