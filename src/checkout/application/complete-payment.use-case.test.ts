import { describe, expect, it } from 'vitest';
import { checkoutWorld, SHOPPER } from '../../../test/support/in-memory/checkout.facades.js';
import { CompletePayment } from './complete-payment.use-case.js';
import { PlaceOrder } from './place-order.use-case.js';

/** An order whose provider waits for the customer (3-D Secure): 202 with nextAction, PAYMENT_PENDING. */
const awaitingCustomer = async (w: ReturnType<typeof checkoutWorld>) => {
  w.provider.set('*', 'action_required');
  const placed = await new PlaceOrder(w.deps).execute({
    cartId: w.readyCart(),
    token: 'pm',
    customerId: SHOPPER,
  });
  w.provider.delete('*');
  return placed;
};

describe('CompletePayment', () => {
  it('a checkout the provider holds for the customer answers 202 PAYMENT_PENDING with the next action', async () => {
    const w = checkoutWorld();
    const placed = await awaitingCustomer(w);
    expect(placed.status).toBe(202);
    expect(placed.order.status).toBe('PAYMENT_PENDING');
    expect(placed.order.payment?.nextAction).toEqual({
      type: 'use_stripe_sdk',
      clientSecret: 'pi_1_secret_x',
    });
  });

  it('confirms the order once the customer answered (the provider authorizes now), once', async () => {
    const w = checkoutWorld();
    const { order } = await awaitingCustomer(w);
    const complete = new CompletePayment(w.deps);
    expect(await complete.execute(order.id)).toBe('confirmed');
    expect((await w.deps.orders.get(order.id))?.status).toBe('CONFIRMED');
    // a second webhook (or one after the request's own answer): nothing asked, nothing moved
    w.journal.length = 0;
    expect(await complete.execute(order.id)).toBe('settled-elsewhere');
    expect(w.journal.filter((e) => e.startsWith('payments.requestAuthorization'))).toEqual([]);
  });

  it('cancels the order and gives its stock back when the customer failed or gave up', async () => {
    const w = checkoutWorld();
    const { order } = await awaitingCustomer(w);
    w.provider.set(order.id, 'declined');
    expect(await new CompletePayment(w.deps).execute(order.id)).toBe('declined');
    expect((await w.deps.orders.get(order.id))?.status).toBe('CANCELLED');
    expect(w.stock.get('SKU-1')).toBe(10);
  });

  it('leaves the order pending while the customer has not answered yet', async () => {
    const w = checkoutWorld();
    const { order } = await awaitingCustomer(w);
    w.provider.set(order.id, 'action_required');
    expect(await new CompletePayment(w.deps).execute(order.id)).toBe('pending');
    expect((await w.deps.orders.get(order.id))?.status).toBe('PAYMENT_PENDING');
  });
});
