import Stripe from 'stripe';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { StripeEmulator } from '../../../../test/support/stripe-emulator.js';
import { ProviderUnavailableError } from '../../application/payment-provider.port.js';
import {
  authorizationOf,
  meaningOf,
  STRIPE_METADATA,
  StripePaymentProvider,
  stripeEventToProviderEvent,
} from './stripe.payment-provider.js';

const PAYMENT_ID = '0b6f3f0e-8a55-4f6e-9d1e-4a8f4a0a9c11';
const SECRET = 'whsec_unit_test_0123456789';

const intent = (over: Record<string, unknown> = {}) =>
  ({
    id: 'pi_1',
    object: 'payment_intent',
    amount: 4200,
    amount_capturable: 4200,
    amount_received: 0,
    client_secret: 'pi_1_secret_abc',
    latest_charge: 'ch_1',
    last_payment_error: null,
    next_action: null,
    cancellation_reason: null,
    metadata: { [STRIPE_METADATA.paymentId]: PAYMENT_ID },
    payment_method: { id: 'pm_card_visa', card: { brand: 'visa', last4: '4242' } },
    status: 'requires_capture',
    ...over,
  }) as unknown as Stripe.PaymentIntent;

const error = (raw: Record<string, unknown>) => Stripe.errors.StripeError.generate(raw as never);

describe('the stripe provider: what Stripe’s answers mean (docs/payments.md, "Stripe")', () => {
  it('maps a PaymentIntent’s status onto an authorization', () => {
    expect(authorizationOf(intent())).toEqual({
      outcome: 'authorized',
      reference: 'pi_1',
      amount: 4200,
      brand: 'visa',
      last4: '4242',
    });
    expect(
      authorizationOf(intent({ status: 'requires_action', next_action: { type: 'use_stripe_sdk' } })),
    ).toEqual({
      outcome: 'action_required',
      reference: 'pi_1',
      nextAction: { type: 'use_stripe_sdk', clientSecret: 'pi_1_secret_abc' },
    });
    expect(
      authorizationOf(
        intent({
          status: 'requires_payment_method',
          last_payment_error: { code: 'card_declined', decline_code: 'insufficient_funds' },
        }),
      ),
    ).toEqual({ outcome: 'declined', reason: 'insufficient_funds' });
    expect(authorizationOf(intent({ status: 'canceled', cancellation_reason: 'abandoned' }))).toEqual({
      outcome: 'declined',
      reason: 'canceled: abandoned',
    });
    // not known yet: asked again later with the same key
    expect(() => authorizationOf(intent({ status: 'processing' }))).toThrow(ProviderUnavailableError);
    // a PaymentMethod not expanded: a placeholder card, never a bad last4
    expect(authorizationOf(intent({ payment_method: 'pm_card_visa' }))).toMatchObject({
      brand: 'card',
      last4: '0000',
    });
  });

  it('a card error is a decline (the issuer’s reason); for capture, void and refund a refusal', () => {
    const declined = error({
      type: 'card_error',
      code: 'card_declined',
      decline_code: 'generic_decline',
      message: 'Your card was declined.',
      statusCode: 402,
    });
    expect(meaningOf(declined, 'authorize')).toEqual({ kind: 'declined', reason: 'generic_decline' });
    const invalid = error({
      type: 'invalid_request_error',
      code: 'payment_intent_unexpected_state',
      message: 'x',
      statusCode: 400,
    });
    expect(meaningOf(invalid, 'capture')).toEqual({
      kind: 'rejected',
      reason: 'payment_intent_unexpected_state',
    });
    const missing = error({
      type: 'invalid_request_error',
      code: 'resource_missing',
      message: "No such PaymentMethod: 'pm_x'",
      statusCode: 400,
    });
    expect(meaningOf(missing, 'authorize')).toEqual({ kind: 'declined', reason: 'resource_missing' });
  });

  it('429, 5xx, connection errors, a refused key and anything else are unavailable — with no secret in the message', () => {
    const key = 'sk_test_secret_0123456789abcdef';
    const cases = [
      error({ type: 'invalid_request_error', code: 'rate_limit', message: 'Too many', statusCode: 429 }),
      error({ type: 'api_error', message: 'boom', statusCode: 500 }),
      error({ type: 'api_error', message: 'down', statusCode: 503 }),
      new Stripe.errors.StripeConnectionError({ message: `An error occurred with our connection (${key})` }),
      error({ type: 'invalid_request_error', message: `Invalid API Key provided: ${key}`, statusCode: 401 }),
      new Error(`socket hang up ${key}`),
    ];
    for (const err of cases) {
      const meaning = meaningOf(err, 'authorize');
      expect(meaning.kind, String(err)).toBe('unavailable');
      if (meaning.kind === 'unavailable') {
        expect(meaning.error.reason).toBe('provider_error');
        expect(meaning.error.message).not.toContain(key);
      }
    }
  });

  it('an idempotency key reused with other parameters is a fault of ours: thrown, not retried', () => {
    const err = error({
      type: 'idempotency_error',
      message: 'Keys for idempotent requests…',
      statusCode: 400,
    });
    expect(() => meaningOf(err, 'authorize')).toThrow(/idempotency key/);
  });

  it('accepts PaymentMethod ids only', () => {
    const provider = new StripePaymentProvider({ secretKey: 'sk_test_x', webhookSecret: SECRET });
    expect(provider.acceptsToken('pm_card_visa')).toBe(true);
    expect(provider.acceptsToken('pm_1NqXYZ2eZvKYlo2C')).toBe(true);
    expect(provider.acceptsToken('tok_visa')).toBe(false);
    expect(provider.acceptsToken('pm_<script>')).toBe(false);
  });

  it('needs its key and its webhook secret', () => {
    expect(() => new StripePaymentProvider({ secretKey: '', webhookSecret: SECRET })).toThrow(
      /STRIPE_SECRET_KEY/,
    );
    expect(() => new StripePaymentProvider({ secretKey: 'sk_test_x', webhookSecret: '' })).toThrow(
      /STRIPE_WEBHOOK_SECRET/,
    );
  });
});

describe('the stripe provider’s webhooks', () => {
  const provider = new StripePaymentProvider({ secretKey: 'sk_test_x', webhookSecret: SECRET });
  const event = (type: string, object: object, id = 'evt_1') =>
    ({ id, object: 'event', type, created: 1, data: { object } }) as unknown as Stripe.Event;
  const signed = (body: string, secret = SECRET, timestamp?: number) => ({
    'stripe-signature': Stripe.webhooks.generateTestHeaderString({
      payload: body,
      secret,
      ...(timestamp ? { timestamp } : {}),
    }),
  });

  it('verifies Stripe-Signature over the raw body (tolerance 300 s)', () => {
    const body = JSON.stringify(event('payment_intent.canceled', intent({ status: 'canceled' })));
    const bytes = Buffer.from(body);
    expect(provider.verifyWebhook(bytes, signed(body))).toMatchObject({
      ok: true,
      event: { id: 'evt_1', type: 'payment.voided', reference: 'pi_1', paymentId: PAYMENT_ID },
    });
    expect(provider.verifyWebhook(bytes, {})).toEqual({ ok: false, failure: 'missing_signature' });
    expect(provider.verifyWebhook(bytes, signed(body, 'whsec_other'))).toEqual({
      ok: false,
      failure: 'bad_signature',
    });
    expect(provider.verifyWebhook(Buffer.from(body.replace('pi_1', 'pi_2')), signed(body))).toEqual({
      ok: false,
      failure: 'bad_signature',
    });
    const old = Math.floor(Date.now() / 1000) - 301;
    expect(provider.verifyWebhook(bytes, signed(body, SECRET, old))).toEqual({
      ok: false,
      failure: 'bad_signature',
    });
  });

  it('maps the events that change a payment; the rest are acknowledged', () => {
    expect(stripeEventToProviderEvent(event('payment_intent.amount_capturable_updated', intent()))).toEqual({
      id: 'evt_1',
      type: 'payment.authorization_changed',
      reference: 'pi_1',
      paymentId: PAYMENT_ID,
    });
    expect(
      stripeEventToProviderEvent(
        event('payment_intent.payment_failed', intent({ metadata: { [STRIPE_METADATA.paymentId]: 'x' } })),
      ),
    ).toEqual({ id: 'evt_1', type: 'payment.authorization_changed', reference: 'pi_1', paymentId: null });
    expect(
      stripeEventToProviderEvent(
        event('payment_intent.succeeded', intent({ status: 'succeeded', amount_received: 4000 })),
      ),
    ).toEqual({
      id: 'evt_1',
      type: 'payment.captured',
      reference: 'pi_1',
      captureReference: 'ch_1',
      amount: 4000,
    });
    const refund = {
      id: 're_1',
      object: 'refund',
      amount: 500,
      payment_intent: 'pi_1',
      reason: 'requested_by_customer',
      status: 'succeeded',
      metadata: { [STRIPE_METADATA.refundId]: 'our-refund' },
    };
    const refunded = {
      id: 'evt_1',
      type: 'payment.refunded',
      reference: 'pi_1',
      refundReference: 're_1',
      amount: 500,
      reason: 'requested_by_customer',
      merchantReference: 'our-refund',
    };
    expect(stripeEventToProviderEvent(event('refund.created', refund))).toEqual(refunded);
    expect(
      stripeEventToProviderEvent(
        event('charge.refunded', {
          id: 'ch_1',
          object: 'charge',
          payment_intent: 'pi_1',
          refunds: { data: [refund] },
        }),
      ),
    ).toEqual(refunded);
    expect(
      stripeEventToProviderEvent(
        event('charge.dispute.created', {
          id: 'dp_1',
          object: 'dispute',
          amount: 4200,
          currency: 'eur',
          charge: 'ch_1',
          payment_intent: 'pi_1',
          reason: 'fraudulent',
          status: 'needs_response',
        }),
      ),
    ).toEqual({
      id: 'evt_1',
      type: 'payment.disputed',
      reference: 'pi_1',
      disputeReference: 'dp_1',
      amount: 4200,
      currency: 'eur',
      reason: 'fraudulent',
    });
    expect(stripeEventToProviderEvent(event('customer.created', { id: 'cus_1' }))).toEqual({
      id: 'evt_1',
      type: 'other',
      name: 'customer.created',
    });
  });
});

describe('the stripe provider against the emulator', () => {
  const emulator = new StripeEmulator({ secretKey: 'sk_test_adapter_unit', webhookSecret: SECRET });
  let provider: StripePaymentProvider;
  beforeAll(async () => {
    provider = new StripePaymentProvider({
      secretKey: 'sk_test_adapter_unit',
      webhookSecret: SECRET,
      apiUrl: await emulator.start(),
    });
  });
  afterAll(() => emulator.close());
  const authorize = (key: string, token = 'pm_card_visa') =>
    provider.authorize({
      idempotencyKey: key,
      paymentId: PAYMENT_ID,
      orderId: 'o-1',
      token,
      amount: 4200,
      currency: 'EUR',
    });

  it('an intent captured or cancelled behind our back (another key) is that answer, not a refusal', async () => {
    const authorized = await authorize('p1:authorize');
    expect(authorized).toMatchObject({ outcome: 'authorized', amount: 4200, brand: 'visa', last4: '4242' });
    if (authorized.outcome !== 'authorized') throw new Error('not authorized');
    const capture = (key: string) =>
      provider.capture({
        idempotencyKey: key,
        reference: authorized.reference,
        amount: 4200,
        currency: 'EUR',
      });
    await expect(capture('dashboard')).resolves.toMatchObject({ outcome: 'captured', amount: 4200 });
    await expect(capture('p1:capture')).resolves.toMatchObject({ outcome: 'captured', amount: 4200 });
    await expect(
      provider.refund({
        idempotencyKey: 'r1',
        reference: authorized.reference,
        amount: 5000,
        currency: 'EUR',
        reason: 'too much',
        merchantReference: 'r1',
      }),
    ).resolves.toEqual({ outcome: 'rejected', reason: 'amount_too_large' });
    const second = await authorize('p2:authorize');
    if (second.outcome !== 'authorized') throw new Error('not authorized');
    const voided = { outcome: 'voided', reference: second.reference };
    await expect(
      provider.void({ idempotencyKey: 'dashboard-void', reference: second.reference }),
    ).resolves.toEqual(voided);
    await expect(provider.void({ idempotencyKey: 'p2:void', reference: second.reference })).resolves.toEqual(
      voided,
    );
    expect(emulator.violations).toEqual([]);
  });

  it('finds an authorization by its key (Stripe search), or none', async () => {
    await authorize('p3:authorize', 'pm_card_threeDSecure2Required');
    await expect(provider.findAuthorization('p3:authorize')).resolves.toMatchObject({
      outcome: 'action_required',
    });
    await expect(provider.findAuthorization('never-used')).resolves.toEqual({ outcome: 'none' });
    expect(emulator.violations).toEqual([]);
  });

  it('refuses a signed event without the ids it needs as malformed', () => {
    const body = JSON.stringify({
      id: 'evt_bad',
      object: 'event',
      type: 'payment_intent.succeeded',
      created: 1,
      data: { object: {} },
    });
    const headers = {
      'stripe-signature': Stripe.webhooks.generateTestHeaderString({ payload: body, secret: SECRET }),
    };
    expect(provider.verifyWebhook(Buffer.from(body), headers)).toMatchObject({
      ok: false,
      failure: 'malformed',
    });
  });
});
