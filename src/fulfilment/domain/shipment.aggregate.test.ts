import { describe, expect, it } from 'vitest';
import { IllegalStateTransitionError } from '../../platform/errors.js';
import { ShipmentInvariantError } from './fulfilment.errors.js';
import { Shipment, type ShipmentDomainEvent } from './shipment.aggregate.js';
import { SHIPMENT_STATUS_VALUES, type ShipmentStatus, shipmentStates } from './shipment.lifecycle.js';

/** The legal steps, written out from docs/product/spec.md ("fulfilment") independently of the table. */
const LEGAL = new Set([
  'pending→picked',
  'picked→packed',
  'packed→dispatched',
  'dispatched→delivered',
  'pending→cancelled',
  'picked→cancelled',
  'packed→cancelled',
]);

const STAFF = { kind: 'staff' as const, id: '8b6f1e52-5b0e-4c2e-9b1a-2f3c4d5e6f70' };
const at = (s: number) => new Date(Date.UTC(2026, 11, 3, 10, 0, s));
const created = () =>
  Shipment.create({
    id: 'c56a4180-65aa-42ec-a945-5fd21dec0538',
    orderId: '3f2b8c1e-5d4a-4e6b-9c7d-1a2b3c4d5e6f',
    orderNumber: 'EU-000123',
    warehouseId: '1b4e28ba-2fa1-41d2-883f-0016d3cca427',
    lines: [{ sku: 'LAMP-1', quantity: 2 }],
    now: at(0),
  });
const names = (s: Shipment) => s.pullEvents().map((e) => (e as ShipmentDomainEvent).name);

describe('the shipment state machine', () => {
  it('allows exactly the legal steps and refuses every other pair (staying put included) with a 409', () => {
    for (const from of SHIPMENT_STATUS_VALUES) {
      for (const to of SHIPMENT_STATUS_VALUES) {
        const legal = LEGAL.has(`${from}→${to}`);
        expect(shipmentStates.can(from, to), `${from}→${to}`).toBe(legal);
        if (!legal) {
          expect(() => shipmentStates.transition(from, to)).toThrow(IllegalStateTransitionError);
          expect(() => shipmentStates.transition(from, to)).toThrow(
            `Shipment cannot move from ${from} to ${to}`,
          );
        }
      }
    }
    expect(SHIPMENT_STATUS_VALUES.filter((s: ShipmentStatus) => shipmentStates.isFinal(s))).toEqual([
      'delivered',
      'cancelled',
    ]);
  });
});

describe('a shipment', () => {
  it('is created pending with its lines, a history entry and ShipmentCreated', () => {
    const s = created();
    expect(s.status).toBe('pending');
    expect(s.snapshot().history).toEqual([
      { from: null, status: 'pending', at: at(0), reason: null, actor: { kind: 'system' } },
    ]);
    expect(names(s)).toEqual(['ShipmentCreated']);
  });

  it('refuses a shipment without lines or with a quantity below one', () => {
    const base = { id: 'x', orderId: 'o', orderNumber: 'EU-1', warehouseId: 'w', now: at(0) };
    expect(() => Shipment.create({ ...base, lines: [] })).toThrow(ShipmentInvariantError);
    expect(() => Shipment.create({ ...base, lines: [{ sku: 'A', quantity: 0 }] })).toThrow(
      ShipmentInvariantError,
    );
  });

  it('walks pending → picked → packed → dispatched → delivered, one event and history entry per step', () => {
    const s = created();
    s.pullEvents();
    s.advance('picked', STAFF, at(1));
    s.advance('packed', STAFF, at(2));
    s.dispatch({ carrier: 'fake', trackingNumber: 'FK000000000000' }, STAFF, at(3));
    s.advance('delivered', STAFF, at(4));
    expect(names(s)).toEqual(['ShipmentPicked', 'ShipmentPacked', 'ShipmentDispatched', 'ShipmentDelivered']);
    const snap = s.snapshot();
    expect(snap.history.map((h) => [h.from, h.status, h.actor])).toEqual([
      [null, 'pending', { kind: 'system' }],
      ['pending', 'picked', STAFF],
      ['picked', 'packed', STAFF],
      ['packed', 'dispatched', STAFF],
      ['dispatched', 'delivered', STAFF],
    ]);
    expect(snap).toMatchObject({ carrier: 'fake', trackingNumber: 'FK000000000000', updatedAt: at(4) });
    expect(s.leftWarehouse).toBe(true);
    expect(s.unsavedHistory()).toHaveLength(5);
  });

  it('carries the tracking number in the events from dispatch on', () => {
    const s = created();
    s.advance('picked', STAFF, at(1));
    s.advance('packed', STAFF, at(2));
    s.pullEvents();
    s.dispatch({ carrier: 'fake', trackingNumber: 'FK123' }, STAFF, at(3));
    const [event] = s.pullEvents() as ShipmentDomainEvent[];
    expect(event).toMatchObject({ name: 'ShipmentDispatched', trackingNumber: 'FK123', reason: null });
  });

  it('refuses to dispatch before it is packed, and changes nothing when it does', () => {
    const s = created();
    s.advance('picked', STAFF, at(1));
    expect(() => s.dispatch({ carrier: 'fake', trackingNumber: 'FK1' }, STAFF, at(2))).toThrow(
      IllegalStateTransitionError,
    );
    expect(s.snapshot()).toMatchObject({ status: 'picked', carrier: null, trackingNumber: null });
  });

  it('is cancelled while in the warehouse (once), never after it left', () => {
    const s = created();
    s.advance('picked', STAFF, at(1));
    expect(s.cancel('cancelled by the customer', { kind: 'system' }, at(2))).toBe(true);
    expect(s.cancel('again', { kind: 'system' }, at(3))).toBe(false);
    expect(s.snapshot().history.at(-1)).toMatchObject({
      status: 'cancelled',
      reason: 'cancelled by the customer',
    });
    const gone = created();
    gone.advance('picked', STAFF, at(1));
    gone.advance('packed', STAFF, at(2));
    gone.dispatch({ carrier: 'fake', trackingNumber: 'FK2' }, STAFF, at(3));
    expect(() => gone.cancel('too late', { kind: 'system' }, at(4))).toThrow(IllegalStateTransitionError);
  });

  it('needs the user id of a staff actor', () => {
    expect(() => created().advance('picked', { kind: 'staff' }, at(1))).toThrow(ShipmentInvariantError);
  });
});
