import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { IllegalStateTransitionError } from '../errors.js';
import { stateMachine } from './state-machine.js';

const TABLE = {
  pending: ['picked', 'cancelled'],
  picked: ['packed', 'cancelled'],
  packed: ['dispatched'],
  dispatched: ['delivered'],
  delivered: [],
  cancelled: [],
} as const;
type S = keyof typeof TABLE;

describe('stateMachine', () => {
  const shipment = stateMachine<S>('Shipment', TABLE);

  it('allows exactly the moves of the table, and refuses every other one with a typed 409 error', () => {
    const states = Object.keys(TABLE) as S[];
    fc.assert(
      fc.property(fc.constantFrom(...states), fc.constantFrom(...states), (from, to) => {
        const legal = (TABLE[from] as readonly S[]).includes(to);
        expect(shipment.can(from, to)).toBe(legal);
        if (legal) expect(shipment.transition(from, to)).toBe(to);
        else {
          let err: unknown;
          try {
            shipment.transition(from, to);
          } catch (e) {
            err = e;
          }
          expect(err).toBeInstanceOf(IllegalStateTransitionError);
          expect(err).toMatchObject({ code: 'ILLEGAL_STATE_TRANSITION' });
          expect((err as Error).message).toBe(`Shipment cannot move from ${from} to ${to}`);
        }
      }),
    );
  });

  it('staying in a state is not a transition', () => {
    expect(() => shipment.transition('packed', 'packed')).toThrow(IllegalStateTransitionError);
  });

  it('knows the next states and the final ones', () => {
    expect(shipment.next('pending')).toEqual(['picked', 'cancelled']);
    expect(shipment.isFinal('delivered')).toBe(true);
    expect(shipment.isFinal('packed')).toBe(false);
    expect(shipment.states).toEqual(Object.keys(TABLE));
  });

  it('rejects a table whose targets are not states, or that moves a state to itself', () => {
    expect(() => stateMachine('Broken', { a: ['b'], b: ['c' as 'a'] })).toThrow(
      /b → c, which is not a state/,
    );
    expect(() => stateMachine('Broken', { a: ['a'] })).toThrow(/a → a is not a transition/);
  });

  it('can raise a context’s own error type', () => {
    class Nope extends Error {}
    const m = stateMachine<'on' | 'off'>('Thing', { on: ['off'], off: [] }, () => new Nope('no'));
    expect(() => m.transition('off', 'on')).toThrow(Nope);
  });
});
