import { describe, expect, it } from 'vitest';
import { IllegalStateTransitionError } from '../../platform/errors.js';
import { RESERVATION_STATUS_VALUES, reservationStates } from './reservation.lifecycle.js';

describe('reservation lifecycle', () => {
  it('reserved → confirmed, released or shipped; confirmed → released or shipped; released → reserved again', () => {
    const moves = RESERVATION_STATUS_VALUES.flatMap((from) =>
      RESERVATION_STATUS_VALUES.filter((to) => reservationStates.can(from, to)).map((to) => `${from}→${to}`),
    );
    expect(moves).toEqual([
      'reserved→confirmed',
      'reserved→released',
      'reserved→shipped',
      'confirmed→released',
      'confirmed→shipped',
      'released→reserved',
    ]);
  });

  it('shipped is final: nothing releases what left the warehouse', () => {
    expect(reservationStates.isFinal('shipped')).toBe(true);
    expect(() => reservationStates.transition('shipped', 'released')).toThrow(IllegalStateTransitionError);
  });

  it('a confirmed reservation cannot go back to reserved (it would expire again)', () => {
    expect(() => reservationStates.transition('confirmed', 'reserved')).toThrow(
      'Reservation cannot move from confirmed to reserved',
    );
  });
});
