import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  givenAuthorized,
  givenCaptured,
  givenOpened,
  paymentsTestKit,
} from '../../../test/support/in-memory/payments.repositories.js';
import { PaymentViews } from './payment-views.query.js';
import { RefundPayment } from './refund-payment.use-case.js';

describe('PaymentViews', () => {
  it('the payments of the orders asked for, by order id, with amounts as money and no token', async () => {
    const kit = paymentsTestKit();
    const opened = await givenOpened(kit, { amount: 1_000 });
    const captured = await givenCaptured(kit, { amount: 2_000 });
    await givenAuthorized(kit); // not asked for
    await new RefundPayment(kit.deps).execute(captured, { amount: 500, reason: 'one item' });
    const views = await new PaymentViews(kit.deps).execute([opened, captured, opened]);
    expect([...views.keys()].sort()).toEqual([opened, captured].sort());
    expect(views.get(captured)).toEqual({
      id: (await kit.repos.payments.of(captured)).id,
      orderId: captured,
      status: 'PARTIALLY_REFUNDED',
      provider: 'fake',
      brand: 'visa',
      last4: '4242',
      amount: { amount: 2_000, currency: 'EUR' },
      authorized: { amount: 2_000, currency: 'EUR' },
      captured: { amount: 2_000, currency: 'EUR' },
      refunded: { amount: 500, currency: 'EUR' },
    });
    expect(views.get(opened)?.status).toBe('PENDING');
    expect(JSON.stringify([...views.values()])).not.toContain('tok_');
  });

  it('orders without a payment and ids that are not UUIDs are left out; none asked for reads nothing', async () => {
    const kit = paymentsTestKit();
    const orderId = await givenOpened(kit);
    const views = new PaymentViews(kit.deps);
    expect([...(await views.execute([orderId, randomUUID(), 'not-a-uuid'])).keys()]).toEqual([orderId]);
    const commits = kit.uow.commits;
    expect((await views.execute(['not-a-uuid'])).size).toBe(0);
    expect(kit.uow.commits).toBe(commits);
  });
});
