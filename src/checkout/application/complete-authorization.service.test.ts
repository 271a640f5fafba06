import { describe, expect, it } from 'vitest';
import {
  type CheckoutWorld,
  checkoutWorld,
  pendingOrder,
} from '../../../test/support/in-memory/checkout.facades.js';
import { callerTx } from '../../../test/support/in-memory/orders.deps.js';
import { completeAuthorization, settleQuietly } from './complete-authorization.service.js';

const pending = (w: CheckoutWorld): Promise<string> => pendingOrder(w);

describe('completeAuthorization (step 3)', () => {
  it('confirms an authorized order and answers its view as the same transaction left it', async () => {
    const w = checkoutWorld();
    const orderId = await pending(w);
    const outcome = await w.deps.payments.requestAuthorization(orderId);
    const { result, view } = await completeAuthorization(w.deps)(outcome);
    expect(result).toBe('confirmed');
    expect(view).toMatchObject({ status: 'CONFIRMED', payment: { status: 'AUTHORIZED' } });
    expect(w.outcomes).toEqual(['confirmed']);
  });

  it('leaves an order another worker or request moved on alone: settled elsewhere, nothing recorded', async () => {
    const w = checkoutWorld();
    const orderId = await pending(w);
    await w.deps.orders.transition(orderId, 'CANCELLED', { actor: { kind: 'system' } }, callerTx());
    const outcome = await w.deps.payments.requestAuthorization(orderId);
    w.journal.length = 0;
    const { result, view } = await completeAuthorization(w.deps)(outcome);
    expect(result).toBe('settled-elsewhere');
    expect(view?.status).toBe('CANCELLED');
    expect(w.journal).toEqual([]);
  });

  it('records an unavailable provider and leaves the order PAYMENT_PENDING', async () => {
    const w = checkoutWorld();
    const orderId = await pending(w);
    w.provider.set(orderId, 'unavailable');
    const outcome = await w.deps.payments.requestAuthorization(orderId);
    const { result, view } = await completeAuthorization(w.deps)(outcome);
    expect(result).toBe('pending');
    expect(view?.status).toBe('PAYMENT_PENDING');
    expect(w.journal.at(-1)).toBe(`payments.recordAuthorization ${orderId} unavailable`);
  });
});

describe('settleQuietly', () => {
  it('leaves a provider call that fails to the payments worker, logging it', async () => {
    const w = checkoutWorld();
    w.deps.payments.settle = async () => {
      throw new Error('provider down');
    };
    await expect(settleQuietly(w.deps, '3f6c1d2e-8a4b-4c5d-9e0f-1a2b3c4d5e6f')).resolves.toBeUndefined();
    expect(w.logged).toEqual(['warn: payment not settled at the provider yet; the payments worker retries']);
  });
});
