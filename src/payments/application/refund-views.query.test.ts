import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  givenCaptured,
  givenRefundRequested,
  paymentsTestKit,
} from '../../../test/support/in-memory/payments.repositories.js';
import type { UnitOfWork } from '../../platform/db/unit-of-work.js';
import type { PaymentRepos } from './payment.repository.js';
import { RefundPayment } from './refund-payment.use-case.js';
import { RefundViews } from './refund-views.query.js';
import { SettlePayment } from './settle-payment.use-case.js';

describe('RefundViews', () => {
  it('the refunds asked for, by id, with their order, amount as money, status and reason; unknown ids and non-UUIDs absent', async () => {
    const kit = paymentsTestKit();
    const a = await givenCaptured(kit, { amount: 10_000 });
    const b = await givenCaptured(kit, { amount: 2_000 });
    const ra = randomUUID();
    const rb = randomUUID();
    await givenRefundRequested(kit, a, { refundId: ra, amount: 1_500, reason: 'return EU-000001-R1' });
    await givenRefundRequested(kit, b, { refundId: rb, amount: 9_999, reason: 'return EU-000002-R1' });
    await new RefundPayment(kit.deps).execute(a, { amount: 100, reason: 'goodwill' }); // not asked for
    const views = await new RefundViews(kit.deps).execute([ra, rb, ra, randomUUID(), 'not-a-uuid']);
    expect([...views.keys()].sort()).toEqual([ra, rb].sort());
    expect(views.get(ra)).toEqual({
      id: ra,
      orderId: a,
      amount: { amount: 1_500, currency: 'EUR' },
      status: 'pending',
      reason: 'return EU-000001-R1',
      failure: null,
    });
    expect(views.get(rb)).toMatchObject({ orderId: b, amount: { amount: 2_000 }, status: 'pending' });
  });

  it('keys each view by the id as asked, in any letter case', async () => {
    const kit = paymentsTestKit();
    const orderId = await givenCaptured(kit);
    const refundId = randomUUID();
    await givenRefundRequested(kit, orderId, { refundId, amount: 100 });
    const upper = refundId.toUpperCase();
    const views = await new RefundViews(kit.deps).execute([upper]);
    expect(views.get(upper)?.id).toBe(refundId);
  });

  it('reports why: a refusal releases the refund with the provider’s reason; an unreachable provider leaves it pending with the last attempt’s; success clears it', async () => {
    const kit = paymentsTestKit();
    const settle = new SettlePayment(kit.deps);
    const orderId = await givenCaptured(kit, { amount: 1_000 });
    const refused = randomUUID();
    const retried = randomUUID();
    await givenRefundRequested(kit, orderId, { refundId: refused, amount: 600 });
    await givenRefundRequested(kit, orderId, { refundId: retried, amount: 400 });
    // the provider refunded 500 from its dashboard (webhook not received yet): 600 exceeds what it holds
    const payment = await kit.repos.payments.of(orderId);
    kit.fake.dashboardRefund(payment.providerRef!, 500);
    kit.fake.failNext(2, 'unavailable', 'refund'); // …and the first attempt of each fails as a 503
    await settle.execute(orderId);
    let views = await new RefundViews(kit.deps).execute([refused, retried]);
    expect(views.get(refused)).toMatchObject({ status: 'pending', failure: 'unavailable: provider_error' });
    expect(views.get(retried)).toMatchObject({ status: 'pending', failure: 'unavailable: provider_error' });
    await settle.execute(orderId);
    views = await new RefundViews(kit.deps).execute([refused, retried]);
    expect(views.get(refused)).toMatchObject({
      status: 'released',
      failure: 'rejected: amount_exceeds_refundable',
    });
    expect(views.get(retried)).toMatchObject({ status: 'succeeded', failure: null });
  });

  it('reads on the caller’s transaction when given one, else on its own', async () => {
    const kit = paymentsTestKit();
    const orderId = await givenCaptured(kit);
    const refundId = randomUUID();
    await givenRefundRequested(kit, orderId, { refundId, amount: 100 });
    const used: string[] = [];
    const read: UnitOfWork<PaymentRepos> = {
      run: (work) => {
        used.push('run');
        return kit.uow.run(work);
      },
      join: (tx, work) => {
        used.push('join');
        return kit.uow.join(tx, work);
      },
    };
    const views = new RefundViews({ ...kit.deps, read });
    await kit.uow.run(async ({ tx }) =>
      expect((await views.execute([refundId], tx)).has(refundId)).toBe(true),
    );
    expect((await views.execute([refundId])).has(refundId)).toBe(true);
    expect(await views.execute(['nope'])).toEqual(new Map());
    expect(used).toEqual(['join', 'run']);
  });
});
