import { describe, expect, it } from 'vitest';
import { IllegalStateTransitionError } from '../../platform/errors.js';
import { Refund } from './refund.entity.js';
import { REFUND_STATUSES, type RefundStatus, refundStates } from './refund.lifecycle.js';

const at = new Date('2026-03-01T12:00:00Z');
const later = new Date('2026-03-01T12:05:00Z');

const LEGAL: Record<RefundStatus, RefundStatus[]> = {
  pending: ['succeeded', 'released'],
  released: ['succeeded'],
  succeeded: [],
};

describe('the refund state machine', () => {
  it('allows exactly pending → succeeded | released and released → succeeded; every other move is IllegalStateTransitionError', () => {
    expect([...refundStates.states].sort()).toEqual([...REFUND_STATUSES].sort());
    for (const from of REFUND_STATUSES) {
      for (const to of REFUND_STATUSES) {
        const legal = LEGAL[from].includes(to);
        expect(refundStates.can(from, to), `${from} → ${to}`).toBe(legal);
        if (!legal) {
          expect(() => refundStates.transition(from, to)).toThrow(IllegalStateTransitionError);
          expect(() => refundStates.transition(from, to)).toThrow(`Refund cannot move from ${from} to ${to}`);
        }
      }
    }
    expect(refundStates.isFinal('succeeded')).toBe(true);
  });
});

describe('Refund', () => {
  it('a refund we ask for starts pending, ours, with no provider reference', () => {
    const r = Refund.reserve({ amount: 30, reason: 'damaged', at });
    expect(r.snapshot()).toEqual({
      id: r.id,
      amount: 30,
      reason: 'damaged',
      status: 'pending',
      origin: 'shopcore',
      providerRef: null,
      requestedAt: at,
      settledAt: null,
    });
    expect(r.pending).toBe(true);
  });

  it('a refund we ask for keeps the id its caller chose (the provider’s idempotency key), else gets a new one', () => {
    const id = '6a1f4c2e-8b3d-4e5f-9a7b-0c1d2e3f4a5b';
    expect(Refund.reserve({ id, amount: 30, reason: 'return', at }).id).toBe(id);
    const a = Refund.reserve({ amount: 30, reason: 'x', at });
    const b = Refund.reserve({ amount: 30, reason: 'x', at });
    expect(a.id).not.toBe(b.id);
  });

  it('a refund the provider announced starts succeeded, the provider’s, settled when announced', () => {
    const r = Refund.announced({ amount: 20, reason: 'dashboard', reference: 'fake_re_1', at });
    expect([r.status, r.origin, r.providerRef, r.settledAt]).toEqual([
      'succeeded',
      'provider',
      'fake_re_1',
      at,
    ]);
  });

  it('succeeds under the provider’s reference, then can neither succeed again nor be released', () => {
    const r = Refund.reserve({ amount: 30, reason: 'damaged', at });
    r.succeed('fake_re_1', later);
    expect([r.status, r.providerRef, r.settledAt]).toEqual(['succeeded', 'fake_re_1', later]);
    expect(() => r.succeed('fake_re_2', later)).toThrow(IllegalStateTransitionError);
    expect(() => r.release(later)).toThrow(IllegalStateTransitionError);
    expect(r.providerRef).toBe('fake_re_1');
  });

  it('a released refund still succeeds when the provider answers late; it cannot be released twice', () => {
    const r = Refund.reserve({ amount: 30, reason: 'late', at });
    r.release(later);
    expect([r.status, r.settledAt]).toEqual(['released', later]);
    expect(() => r.release(later)).toThrow(IllegalStateTransitionError);
    r.succeed('fake_re_late', later);
    expect(r.status).toBe('succeeded');
  });

  it('restores what was stored and hands out copies, never its own state', () => {
    const stored = Refund.reserve({ amount: 30, reason: 'x', at }).snapshot();
    const r = Refund.restore(stored);
    r.release(later);
    expect(stored.status).toBe('pending');
    expect(r.snapshot().status).toBe('released');
  });
});
