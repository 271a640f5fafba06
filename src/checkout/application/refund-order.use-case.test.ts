import { describe, expect, it } from 'vitest';
import { checkoutWorld, SHOPPER } from '../../../test/support/in-memory/checkout.facades.js';
import type { OrderView } from '../../orders/contract.js';
import type { AnswerCheckpoint } from '../../platform/db/answer-checkpoint.js';
import { NotFoundError } from '../../platform/errors.js';
import { PlaceOrder } from './place-order.use-case.js';
import { RefundOrder } from './refund-order.use-case.js';

describe('RefundOrder', () => {
  it('refunds through payments and answers the order as it stands after', async () => {
    const w = checkoutWorld();
    const cartId = w.readyCart();
    const { order } = await new PlaceOrder(w.deps).execute({ cartId, token: 'tok', customerId: SHOPPER });
    const view = await new RefundOrder(w.deps).execute(order.id, { amount: 500, reason: 'damaged' });
    expect(w.journal.at(-1)).toBe(`payments.refund ${order.id} 500 (damaged)`);
    expect(view.payment).toMatchObject({
      status: 'PARTIALLY_REFUNDED',
      refunded: { amount: 500, currency: 'EUR' },
    });
    expect(w.outcomes.at(-1)).toBe('refunded');
  });

  it('answers 404 for an unknown order without asking payments', async () => {
    const w = checkoutWorld();
    await expect(
      new RefundOrder(w.deps).execute('3f6c1d2e-8a4b-4c5d-9e0f-1a2b3c4d5e6f', { reason: 'x' }),
    ).rejects.toBeInstanceOf(NotFoundError);
    expect(w.journal).toEqual([]);
  });

  it('claims the checkpoint when the amount is reserved, and records the order as the answer then', async () => {
    const w = checkoutWorld();
    const cartId = w.readyCart();
    const { order } = await new PlaceOrder(w.deps).execute({ cartId, token: 'tok', customerId: SHOPPER });
    const calls: string[] = [];
    const checkpoint: AnswerCheckpoint<OrderView> = {
      claim: async () => {
        calls.push('claim');
      },
      record: async (_tx, answer) => {
        calls.push(`record ${answer.id}`);
      },
      forget: async () => {
        calls.push('forget');
      },
    };
    await new RefundOrder(w.deps).execute(order.id, { reason: 'x' }, checkpoint);
    expect(calls).toEqual(['claim', `record ${order.id}`]);
  });
});
