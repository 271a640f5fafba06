import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  givenAuthorized,
  givenOpened,
  paymentsTestKit,
  resetCounts,
} from '../../../test/support/in-memory/payments.repositories.js';
import { IllegalStateTransitionError, NotFoundError } from '../../platform/errors.js';
import { CancelPayment } from './cancel-payment.use-case.js';
import type { PaymentProvider } from './payment-provider.port.js';
import { RecordAuthorization } from './record-authorization.use-case.js';
import { RequestAuthorization } from './request-authorization.use-case.js';

describe('RequestAuthorization', () => {
  it('asks the provider under <paymentId>:authorize and records nothing: the caller records the outcome', async () => {
    const kit = paymentsTestKit();
    const orderId = await givenOpened(kit);
    const payment = await kit.repos.payments.of(orderId);
    const outcome = await new RequestAuthorization(kit.deps).execute(orderId);
    expect(outcome).toMatchObject({
      result: 'authorized',
      paymentId: payment.id,
      orderId,
      brand: 'visa',
      last4: '4242',
    });
    expect(kit.fake.authorizationsFor(`${payment.id}:authorize`)).toHaveLength(1);
    expect((await kit.repos.payments.of(orderId)).status).toBe('PENDING');
    expect(kit.repos.payments.ledger).toEqual([]);
    expect(kit.operations).toEqual(['authorize:succeeded']);
  });

  it('never authorizes twice: asking again gets the provider’s first answer under the same key', async () => {
    const kit = paymentsTestKit();
    const orderId = await givenOpened(kit);
    const first = await new RequestAuthorization(kit.deps).execute(orderId);
    const again = await new RequestAuthorization(kit.deps).execute(orderId);
    expect(first.result === 'authorized' && again.result === 'authorized').toBe(true);
    if (first.result !== 'authorized' || again.result !== 'authorized') return;
    expect(again.providerRef).toBe(first.providerRef);
    expect(again.attemptId).not.toBe(first.attemptId);
    expect(kit.fake.authorizationsFor(orderId)).toHaveLength(1);
  });

  it('a declined card answers declined with the provider’s reason', async () => {
    const kit = paymentsTestKit();
    const orderId = await givenOpened(kit, { token: 'tok_declined' });
    const outcome = await new RequestAuthorization(kit.deps).execute(orderId);
    expect(outcome).toMatchObject({ result: 'declined', orderId });
    expect(outcome.result === 'declined' && outcome.reason.length > 0).toBe(true);
    expect(kit.operations).toEqual(['authorize:declined']);
  });

  it('an unreachable provider answers unavailable, counted and logged, and nothing is recorded', async () => {
    const kit = paymentsTestKit();
    const orderId = await givenOpened(kit);
    kit.fake.setOutage(true);
    const outcome = await new RequestAuthorization(kit.deps).execute(orderId);
    expect(outcome).toMatchObject({ result: 'unavailable', orderId });
    expect(kit.operations).toEqual(['authorize:unavailable']);
    expect(kit.logs.map((l) => l.level)).toEqual(['warn']);
    expect(kit.repos.payments.ledger).toEqual([]);
  });

  it('an authorized payment answers authorized, and a failed one declined, without asking the provider', async () => {
    const kit = paymentsTestKit();
    const authorized = await givenAuthorized(kit);
    const failedOrder = await givenOpened(kit, { token: 'tok_declined' });
    const declined = await new RequestAuthorization(kit.deps).execute(failedOrder);
    await kit.uow.run(({ tx }) => new RecordAuthorization(kit.deps).execute(declined, tx));
    resetCounts(kit);
    const stored = await kit.repos.payments.of(authorized);
    expect(await new RequestAuthorization(kit.deps).execute(authorized)).toMatchObject({
      result: 'authorized',
      providerRef: stored.providerRef,
      brand: 'visa',
      last4: '4242',
    });
    expect(await new RequestAuthorization(kit.deps).execute(failedOrder)).toMatchObject({
      result: 'declined',
      reason: declined.result === 'declined' ? declined.reason : 'not declined',
    });
    expect(kit.fake.calls.authorize).toBe(0);
  });

  it('a cancelled payment is not to be authorized any more: 409 ILLEGAL_STATE_TRANSITION, no provider call', async () => {
    const kit = paymentsTestKit();
    const orderId = await givenOpened(kit);
    await kit.uow.run(({ tx }) => new CancelPayment(kit.deps).execute(orderId, 'expired', tx));
    await expect(new RequestAuthorization(kit.deps).execute(orderId)).rejects.toThrow(
      IllegalStateTransitionError,
    );
    expect(kit.fake.calls.authorize).toBe(0);
  });

  it('an order without a payment is 404', async () => {
    const kit = paymentsTestKit();
    await expect(new RequestAuthorization(kit.deps).execute(randomUUID())).rejects.toThrow(NotFoundError);
  });

  it('a provider that waits for the customer (3-D Secure): action_required with the next action, nothing recorded, counted', async () => {
    const base = paymentsTestKit();
    const provider = Object.assign(Object.create(base.fake), {
      authorize: async () => ({
        outcome: 'action_required',
        reference: 'pi_3ds',
        nextAction: { type: 'use_stripe_sdk', clientSecret: 'pi_3ds_secret' },
      }),
    }) as PaymentProvider;
    const kit = paymentsTestKit({ provider });
    const orderId = await givenOpened(kit);
    const outcome = await new RequestAuthorization(kit.deps).execute(orderId);
    expect(outcome).toMatchObject({
      result: 'action_required',
      orderId,
      providerRef: 'pi_3ds',
      nextAction: { type: 'use_stripe_sdk', clientSecret: 'pi_3ds_secret' },
    });
    expect(kit.operations).toEqual(['authorize:action_required']);
    await kit.uow.run(({ tx }) => new RecordAuthorization(kit.deps).execute(outcome, tx));
    expect((await kit.repos.payments.of(orderId)).status).toBe('PENDING');
  });
});
