import { describe, expect, it } from 'vitest';
import {
  fakeWebhookSignature,
  paymentsTestKit,
} from '../../../test/support/in-memory/payments.repositories.js';
import { NotFoundError, UnauthenticatedError, ValidationError } from '../../platform/errors.js';
import { VerifyWebhook } from './verify-webhook.use-case.js';

const event = {
  id: 'evt_1',
  type: 'payment.voided',
  created: '2026-03-01T12:00:00.000Z',
  data: { reference: 'fake_auth_1' },
};

describe('VerifyWebhook', () => {
  it('a body signed by the provider verifies to its event, counted nowhere yet and nothing written', async () => {
    const kit = paymentsTestKit();
    const signed = kit.fake.signWebhook(event);
    const verified = new VerifyWebhook(kit.deps).execute('fake', Buffer.from(signed.body), signed.headers);
    expect(verified).toMatchObject({ id: 'evt_1', type: 'payment.voided', reference: 'fake_auth_1' });
    expect(kit.webhooks).toEqual([]);
    expect(kit.repos.webhooks.events.size).toBe(0);
  });

  it('a missing or wrong signature is 401 UNAUTHENTICATED, counted and logged', async () => {
    const kit = paymentsTestKit();
    const signed = kit.fake.signWebhook(event);
    const verify = new VerifyWebhook(kit.deps);
    expect(() => verify.execute('fake', Buffer.from(signed.body), {})).toThrow(UnauthenticatedError);
    const forged = {
      ...signed.headers,
      'x-fake-signature': fakeWebhookSignature('not the secret', signed.body),
    };
    expect(() => verify.execute('fake', Buffer.from(signed.body), forged)).toThrow(UnauthenticatedError);
    const tampered = signed.body.replace('fake_auth_1', 'fake_auth_2');
    expect(() => verify.execute('fake', Buffer.from(tampered), signed.headers)).toThrow(UnauthenticatedError);
    expect(kit.webhooks).toEqual(['fake:unauthenticated', 'fake:unauthenticated', 'fake:unauthenticated']);
    expect(kit.logs.map((l) => l.level)).toEqual(['warn', 'warn', 'warn']);
  });

  it('a signed body that is not an event of the provider is 400, counted as malformed', async () => {
    const kit = paymentsTestKit();
    const body = JSON.stringify({ hello: 'world' });
    const headers = { 'x-fake-signature': fakeWebhookSignature('unit-test-webhook-secret', body) };
    expect(() => new VerifyWebhook(kit.deps).execute('fake', Buffer.from(body), headers)).toThrow(
      ValidationError,
    );
    expect(kit.webhooks).toEqual(['fake:malformed']);
  });

  it('a provider that is not configured is 404', async () => {
    const kit = paymentsTestKit();
    expect(() => new VerifyWebhook(kit.deps).execute('stripe', Buffer.from('{}'), {})).toThrow(NotFoundError);
  });
});
