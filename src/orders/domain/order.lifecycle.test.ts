import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { IllegalStateTransitionError } from '../../platform/errors.js';
import { ORDER_STATUSES } from '../contract.js';
import { ORDER_STATUS_VALUES, type OrderStatus, orderStates } from './order.lifecycle.js';

/**
 * The legal moves, written out from docs/product/spec.md ("Order state machine") independently of the table in
 * order.lifecycle.ts: the happy path, cancellation from every status before dispatch, and the one
 * documented shortcut CONFIRMED → SHIPPED (docs/orders.md).
 */
const LEGAL = new Set([
  'CREATED→PAYMENT_PENDING',
  'PAYMENT_PENDING→PAYMENT_AUTHORIZED',
  'PAYMENT_AUTHORIZED→CONFIRMED',
  'CONFIRMED→PROCESSING',
  'PROCESSING→SHIPPED',
  'SHIPPED→DELIVERED',
  'DELIVERED→COMPLETED',
  'CREATED→CANCELLED',
  'PAYMENT_PENDING→CANCELLED',
  'PAYMENT_AUTHORIZED→CANCELLED',
  'CONFIRMED→CANCELLED',
  'PROCESSING→CANCELLED',
  'CONFIRMED→SHIPPED',
]);

describe('the order state machine', () => {
  const all = [...ORDER_STATUS_VALUES];

  it('has the statuses of the contract, in its order', () => {
    expect(orderStates.states).toEqual([...ORDER_STATUSES]);
    expect(all).toEqual([...ORDER_STATUSES]);
  });

  it('allows exactly the legal moves and refuses every other pair (staying put included) with a 409', () => {
    fc.assert(
      fc.property(fc.constantFrom(...all), fc.constantFrom(...all), (from: OrderStatus, to: OrderStatus) => {
        const legal = LEGAL.has(`${from}→${to}`);
        expect(orderStates.can(from, to)).toBe(legal);
        if (legal) {
          expect(orderStates.transition(from, to)).toBe(to);
          return;
        }
        let err: unknown;
        try {
          orderStates.transition(from, to);
        } catch (e) {
          err = e;
        }
        expect(err).toBeInstanceOf(IllegalStateTransitionError);
        expect(err).toMatchObject({
          code: 'ILLEGAL_STATE_TRANSITION',
          message: `Order cannot move from ${from} to ${to}`,
        });
      }),
      { numRuns: 500 },
    );
  });

  it('checks every one of the 81 pairs once, too', () => {
    let legal = 0;
    for (const from of all) for (const to of all) if (orderStates.can(from, to)) legal++;
    expect(legal).toBe(LEGAL.size);
  });

  it('can cancel before dispatch only, and ends in COMPLETED or CANCELLED', () => {
    const cancellable = all.filter((s) => orderStates.can(s, 'CANCELLED'));
    expect(cancellable).toEqual([
      'CREATED',
      'PAYMENT_PENDING',
      'PAYMENT_AUTHORIZED',
      'CONFIRMED',
      'PROCESSING',
    ]);
    expect(all.filter((s) => orderStates.isFinal(s))).toEqual(['COMPLETED', 'CANCELLED']);
  });

  it('reaches COMPLETED from CREATED along any path of legal moves', () => {
    fc.assert(
      fc.property(fc.array(fc.nat(), { minLength: 20, maxLength: 20 }), (choices) => {
        let s: OrderStatus = 'CREATED';
        for (const c of choices) {
          const next = orderStates.next(s).filter((n) => n !== 'CANCELLED');
          if (next.length === 0) break;
          s = orderStates.transition(s, next[c % next.length]!);
        }
        expect(s).toBe('COMPLETED');
      }),
    );
  });
});
