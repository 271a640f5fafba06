import { describe, expect, it } from 'vitest';
import { IllegalStateTransitionError } from '../../platform/errors.js';
import { Notification } from './notification.aggregate.js';
import { notificationStates } from './notification.lifecycle.js';
import { retryDelayMs } from './notification-retry.policy.js';

const now = new Date('2026-03-01T10:00:00Z');
const queued = () =>
  Notification.queue({
    id: '0b9f1c2e-4f5a-4b6c-8d7e-9f0a1b2c3d4e',
    eventId: '1c2d3e4f-5a6b-4c7d-8e9f-0a1b2c3d4e5f',
    template: 'order-confirmed',
    orderId: '2d3e4f5a-6b7c-4d8e-9f0a-1b2c3d4e5f6a',
    locale: 'en',
    facts: {},
    now,
  });

describe('the notification lifecycle', () => {
  it('is queued → sent | failed, and sent or failed → queued (resend); nothing else', () => {
    const legal = new Set(['queued→sent', 'queued→failed', 'sent→queued', 'failed→queued']);
    for (const from of notificationStates.states) {
      for (const to of notificationStates.states) {
        if (from === to) continue;
        expect(notificationStates.can(from, to), `${from}→${to}`).toBe(legal.has(`${from}→${to}`));
      }
    }
  });

  it('a sent notification cannot be sent or failed again (409)', () => {
    const n = queued();
    n.delivered(now);
    expect(() => n.delivered(now)).toThrow(IllegalStateTransitionError);
    expect(() => n.undeliverable('x', now)).toThrow(IllegalStateTransitionError);
  });

  it('backs off exponentially up to the cap', () => {
    const s = { maxAttempts: 10, baseDelayMs: 30_000, maxDelayMs: 200_000 };
    expect([1, 2, 3, 4, 5].map((a) => retryDelayMs(s, a))).toEqual([
      30_000, 60_000, 120_000, 200_000, 200_000,
    ]);
  });
});
