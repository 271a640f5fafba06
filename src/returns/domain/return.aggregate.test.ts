import { describe, expect, it } from 'vitest';
import { IllegalStateTransitionError } from '../../platform/errors.js';
import { type NewReturn, Return, type ReturnDomainEvent } from './return.aggregate.js';
import type { ReturnRequestContext } from './return-request.policy.js';
import {
  PartialExchangeReceiptError,
  ReturnInvariantError,
  ReturnNotAllowedError,
  ReturnValidationError,
} from './returns.errors.js';

const CUSTOMER = { kind: 'customer' as const, id: '5c0ffee0-0000-4000-8000-000000000001' };
const STAFF = { kind: 'staff' as const, id: '8b6f1e52-5b0e-4c2e-9b1a-2f3c4d5e6f70' };
const WAREHOUSE = '1b4e28ba-2fa1-41d2-883f-0016d3cca427';
const at = (s: number) => new Date(Date.UTC(2026, 2, 2, 10, 0, s));

const order: NewReturn['order'] = {
  id: '3f2b8c1e-5d4a-4e6b-9c7d-1a2b3c4d5e6f',
  number: 'EU-000123',
  status: 'DELIVERED',
  customerId: CUSTOMER.id,
  currency: 'EUR',
  lines: [
    { sku: 'SHIRT-M', quantity: 3, unitPrice: 2000 },
    { sku: 'MUG', quantity: 1, unitPrice: 800 },
  ],
};

const context = (over: Partial<Omit<ReturnRequestContext, 'order'>> = {}) => ({
  shipments: [
    {
      status: 'delivered',
      lines: [
        { sku: 'SHIRT-M', quantity: 3 },
        { sku: 'MUG', quantity: 1 },
      ],
      deliveredAt: at(0),
    },
  ],
  otherReturns: [],
  now: at(10),
  windowDays: 30,
  variants: new Map([
    ['SHIRT-M', { productId: 'shirt', status: 'active' }],
    ['SHIRT-L', { productId: 'shirt', status: 'active' }],
  ]),
  prices: new Map([['SHIRT-L', 2000]]),
  ...over,
});

const requested = (over: Partial<NewReturn> = {}, ctx = context()) =>
  Return.create(
    {
      id: 'c56a4180-65aa-42ec-a945-5fd21dec0538',
      order,
      seq: 2,
      lines: [
        { sku: 'SHIRT-M', quantity: 2, reason: 'damaged' },
        { sku: 'MUG', quantity: 1, reason: 'no_longer_needed' },
      ],
      exchange: [],
      note: '  the seam split  ',
      actor: CUSTOMER,
      ...over,
    },
    ctx,
  );

const names = (r: Return) => r.pullEvents().map((e) => (e as ReturnDomainEvent).name);

describe('a return', () => {
  it('is created REQUESTED with its number (order number + -R + sequence), lines, note and ReturnRequested', () => {
    const r = requested();
    const s = r.snapshot();
    expect(s).toMatchObject({
      status: 'REQUESTED',
      number: 'EU-000123-R2',
      customerId: CUSTOMER.id,
      note: 'the seam split',
      refund: null,
      replacementOrderId: null,
      lines: [
        { sku: 'SHIRT-M', quantity: 2, reason: 'damaged', received: 0, condition: null },
        { sku: 'MUG', quantity: 1, reason: 'no_longer_needed', received: 0, condition: null },
      ],
    });
    expect(s.history).toEqual([
      { from: null, status: 'REQUESTED', at: at(10), reason: null, actor: CUSTOMER },
    ]);
    const [event] = r.pullEvents() as ReturnDomainEvent[];
    expect(event).toMatchObject({
      name: 'ReturnRequested',
      orderId: order.id,
      number: 'EU-000123-R2',
      lines: [
        { sku: 'SHIRT-M', quantity: 2 },
        { sku: 'MUG', quantity: 1 },
      ],
    });
  });

  it('applies the request rules when it is created (409 beyond what was delivered, 400 for a note too long)', () => {
    expect(() => requested({ lines: [{ sku: 'SHIRT-M', quantity: 4, reason: 'other' }] })).toThrow(
      ReturnNotAllowedError,
    );
    expect(() => requested({}, context({ now: at(0 + 31 * 86_400) }))).toThrow(ReturnNotAllowedError);
    expect(() => requested({ note: 'x'.repeat(1001) })).toThrow(ReturnValidationError);
    expect(requested({ note: '   ' }).snapshot().note).toBeNull();
  });

  it('walks REQUESTED → APPROVED → RECEIVED → REFUNDED, one event and history entry per move', () => {
    const r = requested();
    r.pullEvents();
    r.approve(STAFF, at(11));
    r.receive(
      {
        warehouseId: WAREHOUSE,
        lines: [
          { sku: 'SHIRT-M', quantity: 1, condition: 'resellable' },
          { sku: 'SHIRT-M', quantity: 1, condition: 'damaged' },
          { sku: 'MUG', quantity: 1, condition: 'resellable' },
        ],
      },
      STAFF,
      at(12),
    );
    r.oweRefund(4800);
    r.refundRequested('0a0a0a0a-0000-4000-8000-0000000000aa', 4800, at(12));
    expect(r.refunded(4800, at(13))).toBe(true);
    expect(names(r)).toEqual(['ReturnApproved', 'ReturnReceived', 'ReturnRefunded']);
    const s = r.snapshot();
    expect(s).toMatchObject({
      status: 'REFUNDED',
      warehouseId: WAREHOUSE,
      refund: { amount: 4800, currency: 'EUR' },
      refundOpen: false,
      lines: [
        { sku: 'SHIRT-M', received: 2, condition: 'mixed' },
        { sku: 'MUG', received: 1, condition: 'resellable' },
      ],
    });
    expect(s.history.map((h) => [h.from, h.status, h.actor.kind])).toEqual([
      [null, 'REQUESTED', 'customer'],
      ['REQUESTED', 'APPROVED', 'staff'],
      ['APPROVED', 'RECEIVED', 'staff'],
      ['RECEIVED', 'REFUNDED', 'system'],
    ]);
    expect(r.refunded(4800, at(14))).toBe(false);
  });

  it('carries the received units in ReturnReceived and the refund in ReturnRefunded', () => {
    const r = requested();
    r.approve(STAFF, at(11));
    r.pullEvents();
    r.receive(
      { warehouseId: WAREHOUSE, lines: [{ sku: 'SHIRT-M', quantity: 1, condition: 'damaged' }] },
      STAFF,
      at(12),
    );
    r.oweRefund(1000);
    r.refunded(1000, at(13));
    const [received, refunded] = r.pullEvents() as ReturnDomainEvent[];
    expect(received).toMatchObject({ name: 'ReturnReceived', lines: [{ sku: 'SHIRT-M', quantity: 1 }] });
    expect(refunded).toMatchObject({ name: 'ReturnRefunded', refund: { amount: 1000, currency: 'EUR' } });
  });

  it('refuses a receipt unless APPROVED (409) before looking at its lines, and changes nothing', () => {
    const r = requested();
    expect(() => r.receive({ warehouseId: WAREHOUSE, lines: [] }, STAFF, at(11))).toThrow(
      IllegalStateTransitionError,
    );
    expect(r.snapshot()).toMatchObject({ status: 'REQUESTED', warehouseId: null });
  });

  it('refuses receipt lines beyond what was requested, of another SKU, or of no unit at all (400)', () => {
    const r = requested();
    r.approve(STAFF, at(11));
    const bad = (lines: { sku: string; quantity: number; condition: 'resellable' | 'damaged' }[]) => {
      try {
        r.receive({ warehouseId: WAREHOUSE, lines }, STAFF, at(12));
      } catch (err) {
        expect(err).toBeInstanceOf(ReturnValidationError);
        return (err as ReturnValidationError).errors;
      }
      throw new Error('accepted');
    };
    expect(
      bad([
        { sku: 'SHIRT-M', quantity: 2, condition: 'resellable' },
        { sku: 'SHIRT-M', quantity: 1, condition: 'damaged' },
      ]),
    ).toEqual([{ path: 'lines[1].quantity', message: 'more units of SHIRT-M than were requested (2)' }]);
    expect(bad([{ sku: 'CAP', quantity: 1, condition: 'resellable' }])?.[0]?.path).toBe('lines[0].sku');
    expect(bad([{ sku: 'MUG', quantity: 0, condition: 'resellable' }])).toEqual([
      { path: 'lines', message: 'must receive at least one unit' },
    ]);
    expect(r.status).toBe('APPROVED');
  });

  it('is cancelled by the customer before receipt, never after; rejected by staff only while REQUESTED', () => {
    const a = requested();
    a.cancel(CUSTOMER, at(11));
    expect(names(a)).toEqual(['ReturnRequested', 'ReturnCancelled']);
    const b = requested();
    b.approve(STAFF, at(11));
    b.cancel({ kind: 'guest' }, at(12));
    expect(b.status).toBe('CANCELLED');
    const c = requested();
    c.approve(STAFF, at(11));
    c.receive(
      { warehouseId: WAREHOUSE, lines: [{ sku: 'MUG', quantity: 1, condition: 'resellable' }] },
      STAFF,
      at(12),
    );
    expect(() => c.cancel(CUSTOMER, at(13))).toThrow(IllegalStateTransitionError);
    const d = requested();
    d.reject('worn', STAFF, at(11));
    expect(d.snapshot().history.at(-1)).toMatchObject({ status: 'REJECTED', reason: 'worn' });
    expect(() => b.reject('late', STAFF, at(13))).toThrow(IllegalStateTransitionError);
    expect(() => requested().reject('  ', STAFF, at(11))).toThrow(ReturnInvariantError);
  });

  it('an exchange is received in full (409 otherwise), then EXCHANGED with its replacement order', () => {
    const exchange = () =>
      requested({
        lines: [{ sku: 'SHIRT-M', quantity: 2, reason: 'wrong_item' }],
        exchange: [{ sku: 'SHIRT-L', quantity: 2 }],
      });
    const partial = exchange();
    partial.approve(STAFF, at(11));
    expect(() =>
      partial.receive(
        { warehouseId: WAREHOUSE, lines: [{ sku: 'SHIRT-M', quantity: 1, condition: 'resellable' }] },
        STAFF,
        at(12),
      ),
    ).toThrow(PartialExchangeReceiptError);
    const r = exchange();
    r.approve(STAFF, at(11));
    r.receive(
      { warehouseId: WAREHOUSE, lines: [{ sku: 'SHIRT-M', quantity: 2, condition: 'resellable' }] },
      STAFF,
      at(12),
    );
    r.oweRefund(0);
    r.pullEvents();
    r.exchanged('9d9d9d9d-0000-4000-8000-000000000009', at(13));
    expect(r.snapshot()).toMatchObject({
      status: 'EXCHANGED',
      replacementOrderId: '9d9d9d9d-0000-4000-8000-000000000009',
      refund: null,
    });
    expect(names(r)).toEqual(['ReturnExchanged']);
  });

  it('a refund that could not be made is noted in its history without moving it; erasure takes the note', () => {
    const r = requested();
    r.approve(STAFF, at(11));
    r.receive(
      { warehouseId: WAREHOUSE, lines: [{ sku: 'MUG', quantity: 1, condition: 'resellable' }] },
      STAFF,
      at(12),
    );
    r.oweRefund(800);
    r.note('refund refused: card expired; asked again', at(13));
    expect(r.snapshot().history.at(-1)).toMatchObject({
      from: 'RECEIVED',
      status: 'RECEIVED',
      reason: 'refund refused: card expired; asked again',
    });
    expect(r.snapshot().refundOpen).toBe(true);
    expect(r.eraseNote(at(14))).toBe(true);
    expect(r.eraseNote(at(15))).toBe(false);
    expect(r.snapshot().note).toBeNull();
  });

  it('needs the user id of a customer or staff actor', () => {
    expect(() => requested({ actor: { kind: 'customer' } })).toThrow(ReturnInvariantError);
    expect(() => requested().approve({ kind: 'staff' }, at(11))).toThrow(ReturnInvariantError);
  });
});
