import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  type CheckoutWorld,
  checkoutWorld,
  pendingOrder,
  SHOPPER,
} from '../../../test/support/in-memory/checkout.facades.js';
import { callerTx } from '../../../test/support/in-memory/orders.deps.js';
import { InventoryEventTypes } from '../../inventory/contract.js';
import type { IntegrationEvent } from '../../platform/messaging/integration-event.js';
import { ExpireUnpaidOrder } from './expire-order.use-case.js';
import { PlaceOrder } from './place-order.use-case.js';

const released = (orderId: string, reason: string): IntegrationEvent =>
  ({
    id: '9f8e7d6c-5b4a-4392-8170-6f5e4d3c2b1a',
    context: 'inventory',
    type: InventoryEventTypes.InventoryReleased,
    source: 'urn:shopcore:eu:inventory',
    subject: orderId,
    time: '2026-03-01T10:15:00.000Z',
    data: {
      orderId,
      lines: [{ sku: 'SKU-1', warehouseId: '0a0a0a0a-0000-4000-8000-00000000000a', quantity: 2 }],
      reason,
    },
  }) as unknown as IntegrationEvent;

const pending = (w: CheckoutWorld): Promise<string> => pendingOrder(w, { keepOutage: true });

describe('ExpireUnpaidOrder', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('cancels an order that never got confirmed when its reservation expired: coupon and payment undone, cart kept closed', async () => {
    const w = checkoutWorld();
    const orderId = await pending(w);
    await new ExpireUnpaidOrder(w.deps).execute(released(orderId, 'expired'), callerTx());
    const order = await w.deps.orders.get(orderId);
    expect(order?.status).toBe('CANCELLED');
    expect(order?.history.at(-1)).toMatchObject({ reason: 'reservation expired', actor: { kind: 'system' } });
    expect(w.journal).toEqual([
      `inventory.release ${orderId} (reservation expired)`,
      `pricing.releasePromotion ${orderId}`,
      `payments.cancel ${orderId} (reservation expired)`,
    ]);
  });

  it('asks the provider to void, and counts the expiry, only once the inbox transaction committed', async () => {
    const w = checkoutWorld();
    const orderId = await pending(w);
    await new ExpireUnpaidOrder(w.deps).execute(released(orderId, 'expired'), callerTx());
    await vi.runAllTimersAsync();
    expect(w.outcomes).toEqual([]);
    expect(w.journal).not.toContain(`payments.settle ${orderId}`);
    w.commit();
    expect(w.outcomes).toEqual(['expired']);
    await vi.runAllTimersAsync();
    expect(w.journal.at(-1)).toBe(`payments.settle ${orderId}`);
  });

  it('leaves alone a release for another reason (a cancellation, an order shipped)', async () => {
    const w = checkoutWorld();
    const orderId = await pending(w);
    await new ExpireUnpaidOrder(w.deps).execute(released(orderId, 'order cancelled'), callerTx());
    expect((await w.deps.orders.get(orderId))?.status).toBe('PAYMENT_PENDING');
    expect(w.journal).toEqual([]);
  });

  it('leaves alone an order confirmed meanwhile', async () => {
    const w = checkoutWorld();
    const cartId = w.readyCart();
    const { order } = await new PlaceOrder(w.deps).execute({ cartId, token: 'tok', customerId: SHOPPER });
    w.journal.length = 0;
    await new ExpireUnpaidOrder(w.deps).execute(released(order.id, 'expired'), callerTx());
    expect((await w.deps.orders.get(order.id))?.status).toBe('CONFIRMED');
    expect(w.journal).toEqual([]);
  });

  it('changes nothing when the event is delivered again', async () => {
    const w = checkoutWorld();
    const orderId = await pending(w);
    const expire = new ExpireUnpaidOrder(w.deps);
    await expire.execute(released(orderId, 'expired'), callerTx());
    w.journal.length = 0;
    await expire.execute(released(orderId, 'expired'), callerTx());
    expect(w.journal).toEqual([]);
  });
});
