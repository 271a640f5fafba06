import Stripe from 'stripe';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { StripeEmulator } from '../support/stripe-emulator.js';
import { stripeContract } from '../support/stripe-openapi.js';

const KEY = 'sk_test_unit_emulator_key_0123456789';

/** The emulator and its check against Stripe's OpenAPI document (test/fixtures/stripe/openapi.slice.json). */
describe('the Stripe emulator', () => {
  const emulator = new StripeEmulator({ secretKey: KEY, webhookSecret: 'whsec_unit_0123456789' });
  let stripe: Stripe;
  beforeAll(async () => {
    const url = new URL(await emulator.start());
    stripe = new Stripe(KEY, { host: url.hostname, port: url.port, protocol: 'http', maxNetworkRetries: 0 });
  });
  afterAll(() => emulator.close());

  it('the contract refuses a request or an answer that is not Stripe’s', () => {
    const contract = stripeContract();
    expect(contract.operationOf('POST', '/v1/payment_intents/pi_1/capture')).toBe(
      'POST /v1/payment_intents/{intent}/capture',
    );
    expect(
      contract.checkRequest('POST', '/v1/payment_intents', { amount: '100', currency: 'eur' }),
    ).toBeNull();
    expect(
      contract.checkRequest('POST', '/v1/payment_intents', { amount: '100', currency: 'eur', colour: 'red' }),
    ).toMatch(/additional/);
    expect(contract.checkRequest('POST', '/v1/payment_intents', { currency: 'eur' })).toMatch(/amount/);
    expect(contract.checkRequest('POST', '/v1/payment_intents', { amount: 'lots', currency: 'eur' })).toMatch(
      /integer/,
    );
    expect(
      contract.checkRequest('POST', '/v1/payment_intents', {
        amount: '1',
        currency: 'eur',
        capture_method: 'later',
      }),
    ).toMatch(/allowed values/);
    expect(contract.checkRequest('DELETE', '/v1/customers/cus_1', {})).toMatch(/not an operation/);
    expect(
      contract.checkResponse('GET', '/v1/payment_intents/pi_1', 200, {
        id: 'pi_1',
        object: 'payment_intent',
      }),
    ).toMatch(/required/);
    expect(
      contract.checkResponse('POST', '/v1/refunds', 400, { error: { type: 'invalid_request_error' } }),
    ).toBeNull();
    expect(contract.checkResponse('POST', '/v1/refunds', 400, { message: 'no' })).toMatch(/error/);
  });

  it('answers a request outside Stripe’s document 400 and keeps it as a violation', async () => {
    const before = emulator.violations.length;
    await expect(
      stripe.paymentIntents.create({ amount: 100, currency: 'eur', colour: 'red' } as never),
    ).rejects.toMatchObject({ statusCode: 400 });
    expect(emulator.violations.length).toBe(before + 1);
    emulator.violations.length = 0;
  });

  it('replays the first answer to an idempotency key; the same key with another body is 400 idempotency_error', async () => {
    const params = {
      amount: 1000,
      currency: 'eur',
      capture_method: 'manual' as const,
      confirm: true,
      payment_method: 'pm_card_visa',
    };
    const first = await stripe.paymentIntents.create(params, { idempotencyKey: 'k-1' });
    const again = await stripe.paymentIntents.create(params, { idempotencyKey: 'k-1' });
    expect(again.id).toBe(first.id);
    expect(again.lastResponse.headers['idempotent-replayed']).toBe('true');
    expect(emulator.createdIntents()).toHaveLength(1);
    await expect(
      stripe.paymentIntents.create({ ...params, amount: 2000 }, { idempotencyKey: 'k-1' }),
    ).rejects.toBeInstanceOf(Stripe.errors.StripeIdempotencyError);
    expect(emulator.violations).toEqual([]);
  });

  it('refuses another key: 401', async () => {
    const other = new Stripe('sk_test_wrong', {
      host: new URL(emulator.url).hostname,
      port: new URL(emulator.url).port,
      protocol: 'http',
      maxNetworkRetries: 0,
    });
    await expect(other.paymentIntents.retrieve('pi_x')).rejects.toBeInstanceOf(
      Stripe.errors.StripeAuthenticationError,
    );
  });
});
