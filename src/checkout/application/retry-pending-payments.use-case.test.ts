import { describe, expect, it } from 'vitest';
import {
  type CheckoutWorld,
  checkoutWorld,
  pendingOrder,
} from '../../../test/support/in-memory/checkout.facades.js';
import { RetryPendingPayments } from './retry-pending-payments.use-case.js';

const OPTIONS = { graceMs: 10_000, batch: 50, baseDelayMs: 1_000, maxDelayMs: 60_000 };

const pending = (w: CheckoutWorld): Promise<string> => pendingOrder(w);

describe('RetryPendingPayments', () => {
  it('authorizes again an order left pending beyond the grace period and confirms it', async () => {
    const w = checkoutWorld();
    const orderId = await pending(w);
    w.orders.clock.advance(10_001);
    expect(await new RetryPendingPayments(w.deps, OPTIONS).execute()).toBe(1);
    expect((await w.deps.orders.get(orderId))?.status).toBe('CONFIRMED');
    expect(w.outcomes).toEqual(['confirmed']);
  });

  it('leaves an order to its own request during the grace period', async () => {
    const w = checkoutWorld();
    const orderId = await pending(w);
    w.orders.clock.advance(9_000);
    expect(await new RetryPendingPayments(w.deps, OPTIONS).execute()).toBe(0);
    expect(w.journal).toEqual([]);
    expect((await w.deps.orders.get(orderId))?.status).toBe('PAYMENT_PENDING');
  });

  it('compensates a decline: the order CANCELLED, its stock released', async () => {
    const w = checkoutWorld();
    const orderId = await pending(w);
    w.provider.set(orderId, 'declined');
    w.orders.clock.advance(10_001);
    expect(await new RetryPendingPayments(w.deps, OPTIONS).execute()).toBe(1);
    expect((await w.deps.orders.get(orderId))?.status).toBe('CANCELLED');
    expect(w.stock.get('SKU-1')).toBe(10);
  });

  it('backs off an order while the provider stays unavailable, and asks again once its delay passed', async () => {
    const w = checkoutWorld();
    const orderId = await pending(w);
    w.provider.set(orderId, 'unavailable');
    w.orders.clock.advance(10_001);
    const worker = new RetryPendingPayments(w.deps, OPTIONS);
    expect(await worker.execute()).toBe(0);
    const asked = () => w.journal.filter((e) => e === `payments.requestAuthorization ${orderId}`).length;
    expect(asked()).toBe(1);
    // the next pass comes at once: still waiting
    await worker.execute();
    expect(asked()).toBe(1);
    w.orders.clock.advance(OPTIONS.maxDelayMs);
    w.provider.delete(orderId);
    expect(await worker.execute()).toBe(1);
    expect(asked()).toBe(2);
    expect((await w.deps.orders.get(orderId))?.status).toBe('CONFIRMED');
  });

  it('does not let one order that cannot be completed hold up the others', async () => {
    const w = checkoutWorld();
    const broken = await pending(w);
    const fine = await pending(w);
    const requestAuthorization = w.deps.payments.requestAuthorization;
    w.deps.payments.requestAuthorization = async (orderId) => {
      if (orderId === broken) throw new Error('provider adapter bug');
      return requestAuthorization(orderId);
    };
    w.orders.clock.advance(10_001);
    expect(await new RetryPendingPayments(w.deps, OPTIONS).execute()).toBe(1);
    expect((await w.deps.orders.get(fine))?.status).toBe('CONFIRMED');
    expect((await w.deps.orders.get(broken))?.status).toBe('PAYMENT_PENDING');
    expect(w.logged).toContain('error: pending payment could not be completed; retrying later');
  });
});
