import { describe, expect, it } from 'vitest';
import {
  type CheckoutWorld,
  checkoutWorld,
  SHOPPER,
} from '../../../test/support/in-memory/checkout.facades.js';
import type { OrderView } from '../../orders/contract.js';
import type { AnswerCheckpoint } from '../../platform/db/answer-checkpoint.js';
import { IllegalStateTransitionError, NotFoundError } from '../../platform/errors.js';
import { OrderDispatchedError } from '../domain/checkout.errors.js';
import { CancelOrder } from './cancel-order.use-case.js';
import { PlaceOrder } from './place-order.use-case.js';

const ADMIN = '7a6b5c4d-3e2f-4a1b-9c8d-7e6f5a4b3c2d';

/** A confirmed order of the shopper (its coupon redeemed), the journal emptied. */
const confirmed = async (w: CheckoutWorld): Promise<OrderView> => {
  w.promotions.set('TEN', true);
  const cartId = w.readyCart({ promotionCode: 'TEN' });
  const { order } = await new PlaceOrder(w.deps).execute({ cartId, token: 'tok', customerId: SHOPPER });
  w.journal.length = 0;
  w.outcomes.length = 0;
  return order;
};

describe('CancelOrder', () => {
  it('lets the customer cancel their confirmed order: payment voided, stock released, coupon given back, order CANCELLED', async () => {
    const w = checkoutWorld();
    const order = await confirmed(w);
    const view = await new CancelOrder(w.deps).execute({
      orderId: order.id,
      userId: SHOPPER,
      isAdmin: false,
    });
    expect(view.status).toBe('CANCELLED');
    expect(view.history.at(-1)).toMatchObject({ status: 'CANCELLED', reason: 'cancelled by the customer' });
    expect(w.stock.get('SKU-1')).toBe(10);
    expect(w.journal).toEqual([
      `inventory.release ${order.id} (cancelled by the customer)`,
      `pricing.releasePromotion ${order.id}`,
      `payments.cancel ${order.id} (cancelled by the customer)`,
      `payments.settle ${order.id}`,
    ]);
    expect(w.payments.get(order.id)?.status).toBe('VOIDED');
    expect(w.outcomes).toEqual(['cancelled']);
  });

  it('does not give the shopper their cart back: they cancelled on purpose', async () => {
    const w = checkoutWorld();
    const order = await confirmed(w);
    await new CancelOrder(w.deps).execute({ orderId: order.id, userId: SHOPPER, isAdmin: false });
    expect(w.journal.some((entry) => entry.startsWith('cart.reopen'))).toBe(false);
  });

  it('lets an admin cancel any order, with their reason and as the actor', async () => {
    const w = checkoutWorld();
    const order = await confirmed(w);
    await new CancelOrder(w.deps).execute({
      orderId: order.id,
      userId: ADMIN,
      isAdmin: true,
      reason: ' fraud ',
    });
    const s = await w.deps.orders.get(order.id);
    expect(s?.history.at(-1)).toMatchObject({
      status: 'CANCELLED',
      reason: 'fraud',
      actor: { kind: 'admin', id: ADMIN },
    });
  });

  it('says "cancelled by an admin" when an admin gives no reason', async () => {
    const w = checkoutWorld();
    const order = await confirmed(w);
    const view = await new CancelOrder(w.deps).execute({ orderId: order.id, userId: ADMIN, isAdmin: true });
    expect(view.history.at(-1)?.reason).toBe('cancelled by an admin');
  });

  it('answers another customer’s order with 404 and changes nothing', async () => {
    const w = checkoutWorld();
    const order = await confirmed(w);
    await expect(
      new CancelOrder(w.deps).execute({ orderId: order.id, userId: ADMIN, isAdmin: false }),
    ).rejects.toBeInstanceOf(NotFoundError);
    expect((await w.deps.orders.get(order.id))?.status).toBe('CONFIRMED');
    expect(w.journal).toEqual([]);
  });

  it('refuses once a shipment was dispatched (409), and changes nothing', async () => {
    const w = checkoutWorld();
    const order = await confirmed(w);
    w.shipments.set(order.id, [
      {
        id: '1a2b3c4d-5e6f-4a0b-8c1d-2e3f4a5b6c7d',
        status: 'dispatched',
        warehouseId: 'W1',
        trackingNumber: 'T',
        lines: [{ sku: 'SKU-1', quantity: 1 }],
        deliveredAt: null,
      },
    ]);
    await expect(
      new CancelOrder(w.deps).execute({ orderId: order.id, userId: SHOPPER, isAdmin: false }),
    ).rejects.toBeInstanceOf(OrderDispatchedError);
    expect((await w.deps.orders.get(order.id))?.status).toBe('CONFIRMED');
  });

  it('refuses an order that cannot be cancelled any more (409 ILLEGAL_STATE_TRANSITION)', async () => {
    const w = checkoutWorld();
    const order = await confirmed(w);
    const cancel = new CancelOrder(w.deps);
    await cancel.execute({ orderId: order.id, userId: SHOPPER, isAdmin: false });
    await expect(
      cancel.execute({ orderId: order.id, userId: SHOPPER, isAdmin: false }),
    ).rejects.toBeInstanceOf(IllegalStateTransitionError);
  });

  it('claims the request’s checkpoint and records the cancelled order as its answer in the same transaction', async () => {
    const w = checkoutWorld();
    const order = await confirmed(w);
    const calls: string[] = [];
    const checkpoint: AnswerCheckpoint<OrderView> = {
      claim: async () => {
        calls.push('claim');
      },
      record: async (_tx, answer) => {
        calls.push(`record ${answer.status}`);
      },
      forget: async () => {
        calls.push('forget');
      },
    };
    await new CancelOrder(w.deps).execute({ orderId: order.id, userId: SHOPPER, isAdmin: false }, checkpoint);
    expect(calls).toEqual(['claim', 'record CANCELLED']);
  });
});
