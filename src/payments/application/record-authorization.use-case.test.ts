import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { givenOpened, paymentsTestKit } from '../../../test/support/in-memory/payments.repositories.js';
import { NotFoundError } from '../../platform/errors.js';
import type { AuthorizationOutcome } from '../contract.js';
import { CancelPayment } from './cancel-payment.use-case.js';
import { RecordAuthorization } from './record-authorization.use-case.js';
import { RequestAuthorization } from './request-authorization.use-case.js';

type Kit = ReturnType<typeof paymentsTestKit>;
const record = (kit: Kit, outcome: AuthorizationOutcome) =>
  kit.uow.run(({ tx }) => new RecordAuthorization(kit.deps).execute(outcome, tx));

describe('RecordAuthorization', () => {
  it('an authorization makes the payment AUTHORIZED with brand and last four, one ledger row keyed by the attempt, and PaymentAuthorized', async () => {
    const kit = paymentsTestKit();
    const orderId = await givenOpened(kit);
    const outcome = await new RequestAuthorization(kit.deps).execute(orderId);
    const view = await record(kit, outcome);
    expect(view).toMatchObject({
      status: 'AUTHORIZED',
      brand: 'visa',
      last4: '4242',
      authorized: { amount: 10_000, currency: 'EUR' },
    });
    expect(kit.repos.payments.ledger).toMatchObject([
      { id: outcome.attemptId, kind: 'authorize', outcome: 'succeeded', amount: 10_000 },
    ]);
    expect(kit.uow.eventTypes()).toEqual(['shopcore.payments.PaymentAuthorized.v1']);
  });

  it('the same outcome recorded again changes nothing: one ledger row, one event', async () => {
    const kit = paymentsTestKit();
    const orderId = await givenOpened(kit);
    const outcome = await new RequestAuthorization(kit.deps).execute(orderId);
    await record(kit, outcome);
    const saves = kit.repos.payments.saves;
    await record(kit, outcome);
    expect(kit.repos.payments.saves).toBe(saves);
    expect(kit.repos.payments.ledger).toHaveLength(1);
    expect(kit.uow.events).toHaveLength(1);
  });

  it('a decline fails the payment with PaymentFailed and its reason', async () => {
    const kit = paymentsTestKit();
    const orderId = await givenOpened(kit, { token: 'tok_declined' });
    const outcome = await new RequestAuthorization(kit.deps).execute(orderId);
    expect((await record(kit, outcome)).status).toBe('FAILED');
    expect((await kit.repos.payments.of(orderId)).failureReason).toBe(
      outcome.result === 'declined' ? outcome.reason : 'not declined',
    );
    expect(kit.uow.eventTypes()).toEqual(['shopcore.payments.PaymentFailed.v1']);
    expect(kit.repos.payments.ledger).toMatchObject([{ kind: 'authorize', outcome: 'declined' }]);
  });

  it('an unavailable provider is a ledger row only: still PENDING, no event', async () => {
    const kit = paymentsTestKit();
    const orderId = await givenOpened(kit);
    kit.fake.setOutage(true);
    const outcome = await new RequestAuthorization(kit.deps).execute(orderId);
    expect((await record(kit, outcome)).status).toBe('PENDING');
    expect(kit.repos.payments.ledger).toMatchObject([
      { id: outcome.attemptId, kind: 'authorize', outcome: 'unavailable' },
    ]);
    expect(kit.uow.events).toEqual([]);
  });

  it('an authorization that arrives for a payment cancelled meanwhile is kept for its void (VOID_PENDING)', async () => {
    const kit = paymentsTestKit();
    const orderId = await givenOpened(kit);
    const outcome = await new RequestAuthorization(kit.deps).execute(orderId);
    await kit.uow.run(({ tx }) => new CancelPayment(kit.deps).execute(orderId, 'expired', tx));
    const view = await record(kit, outcome);
    expect(view.status).toBe('VOID_PENDING');
    expect((await kit.repos.payments.of(orderId)).providerRef).toBe(
      outcome.result === 'authorized' ? outcome.providerRef : 'not authorized',
    );
  });

  it('an outcome naming a payment of another order is 404, and nothing is recorded', async () => {
    const kit = paymentsTestKit();
    const orderId = await givenOpened(kit);
    const outcome = await new RequestAuthorization(kit.deps).execute(orderId);
    await expect(record(kit, { ...outcome, orderId: randomUUID() })).rejects.toThrow(NotFoundError);
    expect((await kit.repos.payments.of(orderId)).status).toBe('PENDING');
  });
});
