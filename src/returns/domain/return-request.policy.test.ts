import { describe, expect, it } from 'vitest';
import { AppError } from '../../platform/errors.js';
import {
  checkReturnRequest,
  claimedUnits,
  deliveredUnits,
  lastDelivery,
  type ReturnRequestContext,
  windowClosed,
  windowOpen,
} from './return-request.policy.js';
import { ReturnNotAllowedError, ReturnValidationError } from './returns.errors.js';

const DAY = 24 * 60 * 60 * 1000;
const delivered = new Date('2026-03-01T10:00:00Z');
const since = (ms: number) => new Date(delivered.getTime() + ms);

const ctx = (over: Partial<ReturnRequestContext> = {}): ReturnRequestContext => ({
  order: {
    number: 'EU-000123',
    status: 'DELIVERED',
    lines: [
      { sku: 'SHIRT-M', quantity: 3, unitPrice: 2000 },
      { sku: 'MUG', quantity: 1, unitPrice: 800 },
    ],
  },
  shipments: [
    { status: 'delivered', lines: [{ sku: 'SHIRT-M', quantity: 3 }], deliveredAt: delivered },
    { status: 'dispatched', lines: [{ sku: 'MUG', quantity: 1 }], deliveredAt: null },
  ],
  otherReturns: [],
  now: since(DAY),
  windowDays: 30,
  variants: new Map([
    ['SHIRT-M', { productId: 'shirt', status: 'active' }],
    ['SHIRT-L', { productId: 'shirt', status: 'active' }],
    ['SHIRT-XL', { productId: 'shirt', status: 'archived' }],
    ['SHIRT-GOLD', { productId: 'shirt', status: 'active' }],
    ['SHIRT-NOPRICE', { productId: 'shirt', status: 'active' }],
    ['CAP', { productId: 'cap', status: 'active' }],
  ]),
  prices: new Map([
    ['SHIRT-M', 2000],
    ['SHIRT-L', 1900],
    ['SHIRT-XL', 1000],
    ['SHIRT-GOLD', 2500],
    ['CAP', 500],
  ]),
  ...over,
});

const ask = (
  lines: { sku: string; quantity: number }[],
  exchange: { sku: string; quantity: number }[] = [],
) => ({
  lines: lines.map((l) => ({ ...l, reason: 'no_longer_needed' as const })),
  exchange,
});

const failure = (fn: () => void): AppError => {
  try {
    fn();
  } catch (err) {
    if (err instanceof AppError) return err;
    throw err;
  }
  throw new Error('expected a refusal');
};

describe('delivered units, claims and the window', () => {
  it('counts delivered units of delivered shipments only, and the last delivery', () => {
    const c = ctx({
      shipments: [
        { status: 'delivered', lines: [{ sku: 'A', quantity: 2 }], deliveredAt: delivered },
        { status: 'delivered', lines: [{ sku: 'A', quantity: 1 }], deliveredAt: since(DAY) },
        { status: 'dispatched', lines: [{ sku: 'A', quantity: 5 }], deliveredAt: null },
      ],
    });
    expect(deliveredUnits(c.shipments)).toEqual(new Map([['A', 3]]));
    expect(lastDelivery(c.shipments)).toEqual(since(DAY));
    expect(lastDelivery([])).toBeNull();
  });

  it('claims requested units while REQUESTED/APPROVED, received ones once received, none when cancelled or rejected', () => {
    const l = [{ sku: 'A', quantity: 3, received: 2 }];
    expect(
      claimedUnits([
        { status: 'REQUESTED', lines: l },
        { status: 'APPROVED', lines: l },
        { status: 'RECEIVED', lines: l },
        { status: 'REFUNDED', lines: l },
        { status: 'EXCHANGED', lines: l },
        { status: 'CANCELLED', lines: l },
        { status: 'REJECTED', lines: l },
      ]),
    ).toEqual(new Map([['A', 3 + 3 + 2 + 2 + 2]]));
  });

  it('is open up to and including last delivery + window days; 0 days never; closes for completion at that instant', () => {
    expect(windowOpen(delivered, 30, since(30 * DAY))).toBe(true);
    expect(windowOpen(delivered, 30, since(30 * DAY + 1))).toBe(false);
    expect(windowOpen(delivered, 0, delivered)).toBe(false);
    expect(windowOpen(null, 30, delivered)).toBe(false);
    expect(windowClosed(delivered, 30, since(30 * DAY - 1))).toBe(false);
    expect(windowClosed(delivered, 30, since(30 * DAY))).toBe(true);
    expect(windowClosed(delivered, 0, delivered)).toBe(true);
    expect(windowClosed(null, 0, delivered)).toBe(false);
  });
});

describe('a return request', () => {
  it('may ask for delivered units within the window', () => {
    expect(() => checkReturnRequest(ask([{ sku: 'SHIRT-M', quantity: 3 }]), ctx())).not.toThrow();
  });

  it('is 409 CONFLICT for an order that is not SHIPPED or DELIVERED (completed, cancelled, confirmed…)', () => {
    for (const status of ['CONFIRMED', 'PROCESSING', 'COMPLETED', 'CANCELLED']) {
      const c = ctx({ order: { ...ctx().order, status } });
      const err = failure(() => checkReturnRequest(ask([{ sku: 'SHIRT-M', quantity: 1 }]), c));
      expect(err, status).toBeInstanceOf(ReturnNotAllowedError);
      expect(err.code).toBe('CONFLICT');
    }
    const shipped = ctx({ order: { ...ctx().order, status: 'SHIPPED' } });
    expect(() => checkReturnRequest(ask([{ sku: 'SHIRT-M', quantity: 1 }]), shipped)).not.toThrow();
  });

  it('is 409 CONFLICT once the window closed, for every request with a window of 0, and before any delivery', () => {
    const one = ask([{ sku: 'SHIRT-M', quantity: 1 }]);
    expect(failure(() => checkReturnRequest(one, ctx({ now: since(30 * DAY + 1) }))).code).toBe('CONFLICT');
    expect(failure(() => checkReturnRequest(one, ctx({ windowDays: 0, now: delivered }))).code).toBe(
      'CONFLICT',
    );
    const none = ctx({
      shipments: [{ status: 'dispatched', lines: [{ sku: 'SHIRT-M', quantity: 3 }], deliveredAt: null }],
    });
    expect(failure(() => checkReturnRequest(one, none)).code).toBe('CONFLICT');
  });

  it('is 409 CONFLICT for units not delivered (a shipment on its way, an SKU not on the order), naming the line', () => {
    const err = failure(() =>
      checkReturnRequest(
        ask([
          { sku: 'SHIRT-M', quantity: 1 },
          { sku: 'MUG', quantity: 1 },
        ]),
        ctx(),
      ),
    );
    expect(err).toBeInstanceOf(ReturnNotAllowedError);
    expect(err.errors).toEqual([
      { path: 'lines[1].quantity', message: 'no unit of MUG was delivered with this order' },
    ]);
    expect(failure(() => checkReturnRequest(ask([{ sku: 'NOPE', quantity: 1 }]), ctx())).code).toBe(
      'CONFLICT',
    );
    expect(failure(() => checkReturnRequest(ask([{ sku: 'SHIRT-M', quantity: 4 }]), ctx())).code).toBe(
      'CONFLICT',
    );
  });

  it('is 409 CONFLICT beyond delivered − claimed by other returns; cancelled and rejected ones free their units', () => {
    const other = (
      status: 'REQUESTED' | 'RECEIVED' | 'CANCELLED' | 'REJECTED',
      quantity: number,
      received = 0,
    ) => ({
      status,
      lines: [{ sku: 'SHIRT-M', quantity, received }],
    });
    const two = ask([{ sku: 'SHIRT-M', quantity: 2 }]);
    const err = failure(() => checkReturnRequest(two, ctx({ otherReturns: [other('REQUESTED', 2)] })));
    expect(err.errors).toEqual([
      { path: 'lines[0].quantity', message: 'at most 1 of SHIRT-M can still be returned' },
    ]);
    // 3 requested earlier, only 1 arrived: 2 may be asked for again
    expect(() => checkReturnRequest(two, ctx({ otherReturns: [other('RECEIVED', 3, 1)] }))).not.toThrow();
    expect(() =>
      checkReturnRequest(
        ask([{ sku: 'SHIRT-M', quantity: 3 }]),
        ctx({ otherReturns: [other('CANCELLED', 3), other('REJECTED', 3)] }),
      ),
    ).not.toThrow();
  });

  it('is 400 for a request of the wrong shape: no lines, an SKU twice, a quantity out of 1..1000', () => {
    expect(failure(() => checkReturnRequest(ask([]), ctx())).code).toBe('VALIDATION_FAILED');
    const twice = failure(() =>
      checkReturnRequest(
        ask([
          { sku: 'SHIRT-M', quantity: 1 },
          { sku: 'SHIRT-M', quantity: 1 },
        ]),
        ctx(),
      ),
    );
    expect(twice.errors).toEqual([{ path: 'lines[1].sku', message: 'appears twice' }]);
    expect(
      failure(() => checkReturnRequest(ask([{ sku: 'SHIRT-M', quantity: 0 }]), ctx())).errors?.[0]?.path,
    ).toBe('lines[0].quantity');
  });
});

describe('an exchange', () => {
  const shirts = [{ sku: 'SHIRT-M', quantity: 2 }];

  it('may ask for another variant of the returned product at the same or a lower price, or the same SKU again', () => {
    expect(() => checkReturnRequest(ask(shirts, [{ sku: 'SHIRT-L', quantity: 2 }]), ctx())).not.toThrow();
    expect(() => checkReturnRequest(ask(shirts, [{ sku: 'SHIRT-M', quantity: 1 }]), ctx())).not.toThrow();
  });

  it('is 400 naming exchange[i].sku for another product, an inactive or unknown variant, no price, or a higher price', () => {
    const cases: [string, string][] = [
      ['CAP', 'CAP is not a variant of a returned product'],
      ['UNKNOWN', 'UNKNOWN is not a variant of a returned product'],
      ['SHIRT-XL', 'SHIRT-XL is not for sale'],
      ['SHIRT-NOPRICE', 'SHIRT-NOPRICE has no price in this region'],
      [
        'SHIRT-GOLD',
        'SHIRT-GOLD costs more than the returned item (an exchange is for the same or a lower price)',
      ],
    ];
    for (const [sku, message] of cases) {
      const err = failure(() =>
        checkReturnRequest(
          ask(shirts, [
            { sku: 'SHIRT-L', quantity: 1 },
            { sku, quantity: 1 },
          ]),
          ctx(),
        ),
      );
      expect(err, sku).toBeInstanceOf(ReturnValidationError);
      expect(err.errors).toEqual([{ path: 'exchange[1].sku', message }]);
    }
  });

  it('is 400 naming exchange[i].quantity when a product gets more replacements than units come back', () => {
    const err = failure(() =>
      checkReturnRequest(
        ask(shirts, [
          { sku: 'SHIRT-L', quantity: 2 },
          { sku: 'SHIRT-M', quantity: 1 },
        ]),
        ctx(),
      ),
    );
    expect(err.code).toBe('VALIDATION_FAILED');
    expect(err.errors?.map((e) => e.path)).toEqual(['exchange[0].quantity', 'exchange[1].quantity']);
  });
});
