import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  givenAuthorized,
  givenCaptured,
  givenOpened,
  paymentsTestKit,
} from '../../../test/support/in-memory/payments.repositories.js';
import { CancelPayment } from './cancel-payment.use-case.js';
import { RecordAuthorization } from './record-authorization.use-case.js';
import { RequestAuthorization } from './request-authorization.use-case.js';

type Kit = ReturnType<typeof paymentsTestKit>;
const cancel = (kit: Kit, orderId: string, reason = 'customer changed their mind') =>
  kit.uow.run(({ tx }) => new CancelPayment(kit.deps).execute(orderId, reason, tx));

describe('CancelPayment', () => {
  it('a PENDING or AUTHORIZED payment becomes VOID_PENDING with its reason; the provider is not called inside the transaction', async () => {
    const kit = paymentsTestKit();
    for (const orderId of [await givenOpened(kit), await givenAuthorized(kit)]) {
      expect((await cancel(kit, orderId))?.status).toBe('VOID_PENDING');
      const payment = await kit.repos.payments.of(orderId);
      expect(payment.cancelReason).toBe('customer changed their mind');
      expect(payment.needsSettlement).toBe(true);
    }
    expect(kit.fake.calls.void).toBe(0);
    expect(kit.fake.calls.lookup).toBe(0);
  });

  it('a captured payment becomes VOID_PENDING with the refund of all that remains reserved', async () => {
    const kit = paymentsTestKit();
    const orderId = await givenCaptured(kit, { amount: 3_000 });
    await cancel(kit, orderId, 'returned');
    const payment = await kit.repos.payments.of(orderId);
    expect(payment.status).toBe('VOID_PENDING');
    expect(payment.pendingRefunds.map((r) => [r.amount, r.reason])).toEqual([[3_000, 'returned']]);
    expect(payment.refundable).toBe(0);
    expect(kit.fake.calls.refund).toBe(0);
  });

  it('a blank reason is recorded as “order cancelled”', async () => {
    const kit = paymentsTestKit();
    const orderId = await givenAuthorized(kit);
    await cancel(kit, orderId, '   ');
    expect((await kit.repos.payments.of(orderId)).cancelReason).toBe('order cancelled');
  });

  it('a payment already cancelled, or failed, is left as it is', async () => {
    const kit = paymentsTestKit();
    const cancelled = await givenAuthorized(kit);
    await cancel(kit, cancelled, 'first');
    const failed = await givenOpened(kit, { token: 'tok_declined' });
    const declined = await new RequestAuthorization(kit.deps).execute(failed);
    await kit.uow.run(({ tx }) => new RecordAuthorization(kit.deps).execute(declined, tx));
    const saves = kit.repos.payments.saves;
    expect((await cancel(kit, cancelled, 'second'))?.status).toBe('VOID_PENDING');
    expect((await cancel(kit, failed))?.status).toBe('FAILED');
    expect(kit.repos.payments.saves).toBe(saves);
    expect((await kit.repos.payments.of(cancelled)).cancelReason).toBe('first');
  });

  it('an order without a payment: null', async () => {
    const kit = paymentsTestKit();
    expect(await cancel(kit, randomUUID())).toBeNull();
  });
});
