import { describe, expect, it } from 'vitest';
import { IllegalStateTransitionError } from '../../platform/errors.js';
import {
  isReturnStatus,
  OPEN_RETURN_STATUSES,
  RETURN_STATUS_VALUES,
  type ReturnStatus,
  returnStates,
} from './return.lifecycle.js';

/** The legal moves, written out from docs/product/spec.md ("returns") independently of the table. */
const LEGAL = new Set([
  'REQUESTED→APPROVED',
  'APPROVED→RECEIVED',
  'RECEIVED→REFUNDED',
  'RECEIVED→EXCHANGED',
  'REQUESTED→CANCELLED',
  'APPROVED→CANCELLED',
  'REQUESTED→REJECTED',
]);

describe('the return state machine', () => {
  it('allows exactly the legal moves and refuses every other pair (staying put included) with a 409', () => {
    for (const from of RETURN_STATUS_VALUES) {
      for (const to of RETURN_STATUS_VALUES) {
        const legal = LEGAL.has(`${from}→${to}`);
        expect(returnStates.can(from, to), `${from}→${to}`).toBe(legal);
        if (!legal) {
          expect(() => returnStates.transition(from, to)).toThrow(IllegalStateTransitionError);
          expect(() => returnStates.transition(from, to)).toThrow(`Return cannot move from ${from} to ${to}`);
        }
      }
    }
  });

  it('ends in REFUNDED, EXCHANGED, CANCELLED and REJECTED; REQUESTED, APPROVED, RECEIVED hold the order open', () => {
    expect(RETURN_STATUS_VALUES.filter((s: ReturnStatus) => returnStates.isFinal(s))).toEqual([
      'REFUNDED',
      'EXCHANGED',
      'CANCELLED',
      'REJECTED',
    ]);
    expect([...OPEN_RETURN_STATUSES].sort()).toEqual(['APPROVED', 'RECEIVED', 'REQUESTED']);
    expect(RETURN_STATUS_VALUES.filter((s) => !returnStates.isFinal(s)).sort()).toEqual(
      [...OPEN_RETURN_STATUSES].sort(),
    );
  });

  it('knows its statuses', () => {
    expect(isReturnStatus('APPROVED')).toBe(true);
    expect(isReturnStatus('approved')).toBe(false);
  });
});
