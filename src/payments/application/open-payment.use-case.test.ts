import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { paymentsTestKit } from '../../../test/support/in-memory/payments.repositories.js';
import { ValidationError } from '../../platform/errors.js';
import { OpenPayment, type OpenPaymentInput } from './open-payment.use-case.js';

const open = (kit: ReturnType<typeof paymentsTestKit>, input: Partial<OpenPaymentInput> = {}) =>
  kit.uow.run(({ tx }) =>
    new OpenPayment(kit.deps).execute(
      { orderId: randomUUID(), amount: 10_000, currency: 'EUR', token: 'tok_visa', ...input },
      tx,
    ),
  );

describe('OpenPayment', () => {
  it('opens the order’s payment PENDING at the default provider, nothing authorized, no provider call, no event', async () => {
    const kit = paymentsTestKit();
    const orderId = randomUUID();
    const view = await open(kit, { orderId, amount: 4_990 });
    expect(view).toMatchObject({
      orderId,
      status: 'PENDING',
      provider: 'fake',
      brand: null,
      last4: null,
      amount: { amount: 4_990, currency: 'EUR' },
      authorized: { amount: 0, currency: 'EUR' },
    });
    const stored = await kit.repos.payments.of(orderId);
    expect([stored.id, stored.status, stored.token]).toEqual([view.id, 'PENDING', 'tok_visa']);
    expect(kit.fake.calls.authorize).toBe(0);
    expect(kit.uow.events).toEqual([]);
  });

  it('opens one payment per order: the same order again returns the payment it has', async () => {
    const kit = paymentsTestKit();
    const orderId = randomUUID();
    const first = await open(kit, { orderId });
    const again = await open(kit, { orderId, amount: 1 });
    expect(again.id).toBe(first.id);
    expect(again.amount.amount).toBe(10_000);
    expect(kit.repos.payments.rows.size).toBe(1);
  });

  it('a token the provider can never accept is refused with 400 naming payment.token, before anything is written', async () => {
    const kit = paymentsTestKit();
    const refused = open(kit, { token: '4242424242424242' });
    await expect(refused).rejects.toThrow(ValidationError);
    await expect(refused).rejects.toMatchObject({ errors: [{ path: 'payment.token' }] });
    expect(kit.repos.payments.rows.size).toBe(0);
  });

  it('an order id that is not a UUID is refused naming orderId, nothing written', async () => {
    const kit = paymentsTestKit();
    await expect(open(kit, { orderId: 'order-1' })).rejects.toMatchObject({ errors: [{ path: 'orderId' }] });
    expect(kit.repos.payments.rows.size).toBe(0);
  });

  it('an amount that is not a positive integer of minor units, or a currency that is not ISO 4217, is refused', async () => {
    const kit = paymentsTestKit();
    for (const amount of [0, -5, 12.5, 2_147_483_648]) {
      await expect(open(kit, { amount })).rejects.toThrow(ValidationError);
    }
    await expect(open(kit, { currency: 'euro' })).rejects.toMatchObject({ errors: [{ path: 'currency' }] });
    expect(kit.repos.payments.rows.size).toBe(0);
  });
});
