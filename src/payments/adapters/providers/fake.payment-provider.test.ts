import { afterEach, describe, expect, it, vi } from 'vitest';
import { type AuthorizeRequest, ProviderUnavailableError } from '../../application/payment-provider.port.js';
import { FAKE_TOKENS, FakePaymentProvider } from './fake.payment-provider.js';
import { FAKE_SIGNATURE_HEADER, fakeWebhookSignature } from './fake-webhook.format.js';

const SECRET = 'test-webhook-secret-0123456789';
const provider = (opts: { outage?: boolean } = {}) =>
  new FakePaymentProvider({ webhookSecret: SECRET, ...opts });
let seq = 0;
const request = (token: string, over: Partial<AuthorizeRequest> = {}): AuthorizeRequest => {
  seq++;
  return {
    idempotencyKey: `pay-${seq}:authorize`,
    paymentId: `pay-${seq}`,
    orderId: `order-${seq}`,
    token,
    amount: 2_500,
    currency: 'EUR',
    ...over,
  };
};
const unavailable = (reason: string) => expect.objectContaining({ name: 'ProviderUnavailableError', reason });

afterEach(() => {
  vi.useRealTimers();
});

describe('FakePaymentProvider tokens (docs/product/api.md)', () => {
  it('approves tok_visa (visa 4242) and tok_mastercard (mastercard 4444), declines tok_declined', async () => {
    const psp = provider();
    await expect(psp.authorize(request('tok_visa'))).resolves.toMatchObject({
      outcome: 'authorized',
      amount: 2_500,
      brand: 'visa',
      last4: '4242',
      reference: expect.stringMatching(/^fake_auth_/),
    });
    await expect(psp.authorize(request('tok_mastercard'))).resolves.toMatchObject({
      outcome: 'authorized',
      brand: 'mastercard',
      last4: '4444',
    });
    await expect(psp.authorize(request('tok_declined'))).resolves.toEqual({
      outcome: 'declined',
      reason: 'card_declined',
    });
  });

  it('fails tok_error as unavailable (a 5xx), keeping nothing for its key', async () => {
    const psp = provider();
    const req = request('tok_error');
    await expect(psp.authorize(req)).rejects.toEqual(unavailable('provider_error'));
    await expect(psp.authorize(req)).rejects.toBeInstanceOf(ProviderUnavailableError);
    await expect(psp.findAuthorization(req.idempotencyKey)).resolves.toEqual({ outcome: 'none' });
    expect(psp.authorizationsFor(req.orderId)).toEqual([]);
  });

  it('approves tok_slow after 2 s', async () => {
    vi.useFakeTimers();
    const psp = provider();
    let answer: unknown;
    void psp.authorize(request('tok_slow')).then((a) => {
      answer = a;
    });
    await vi.advanceTimersByTimeAsync(1_999);
    expect(answer).toBeUndefined();
    await vi.advanceTimersByTimeAsync(1);
    expect(answer).toMatchObject({ outcome: 'authorized', brand: 'visa', last4: '4242' });
  });

  it('accepts exactly the five test tokens', () => {
    const psp = provider();
    for (const token of Object.keys(FAKE_TOKENS)) expect(psp.acceptsToken(token)).toBe(true);
    for (const token of ['tok_vias', '', '4242424242424242', 'constructor', '__proto__', 'TOK_VISA']) {
      expect(psp.acceptsToken(token)).toBe(false);
    }
  });
});

describe('FakePaymentProvider idempotency keys', () => {
  it('answers the same key with the first result and authorizes once, also for concurrent duplicates', async () => {
    const psp = provider();
    const req = request('tok_visa');
    const [a, b] = await Promise.all([psp.authorize(req), psp.authorize(req)]);
    const c = await psp.authorize(req);
    expect(b).toEqual(a);
    expect(c).toEqual(a);
    expect(psp.authorizationsFor(req.orderId)).toHaveLength(1);
    expect(psp.authorizationsFor(req.idempotencyKey)).toHaveLength(1);
    expect(psp.operations.filter((o) => o.kind === 'authorize')).toHaveLength(1);
    expect(psp.calls.authorize).toBe(3);
    await expect(psp.findAuthorization(req.idempotencyKey)).resolves.toEqual(a);
  });

  it('a slow authorization asked again while in flight is still one authorization', async () => {
    vi.useFakeTimers();
    const psp = provider();
    const req = request('tok_slow');
    const first = psp.authorize(req);
    await vi.advanceTimersByTimeAsync(1_000);
    const second = psp.authorize(req);
    await vi.advanceTimersByTimeAsync(1_000);
    expect(await second).toEqual(await first);
    expect(psp.authorizationsFor(req.orderId)).toHaveLength(1);
  });

  it('refuses a key reused with other parameters', async () => {
    const psp = provider();
    const req = request('tok_visa');
    await psp.authorize(req);
    await expect(psp.authorize({ ...req, amount: 9_999 })).resolves.toEqual({
      outcome: 'declined',
      reason: 'idempotency_key_reused',
    });
    expect(psp.authorizationsFor(req.orderId)).toHaveLength(1);
  });

  it('does the operation but loses the answer (lost_response): the retry with the key gets it, nothing twice', async () => {
    const psp = provider();
    const req = request('tok_visa');
    psp.failNext(1, 'lost_response', 'authorize');
    await expect(psp.authorize(req)).rejects.toEqual(unavailable('provider_error'));
    expect(psp.authorizationsFor(req.orderId)).toHaveLength(1);
    const retried = await psp.authorize(req);
    expect(retried).toMatchObject({
      outcome: 'authorized',
      reference: psp.authorizationsFor(req.orderId)[0]!.reference,
    });
    expect(psp.authorizationsFor(req.orderId)).toHaveLength(1);
  });

  it('a refund retried with its key refunds once', async () => {
    const psp = provider();
    const req = request('tok_visa');
    const auth = await psp.authorize(req);
    if (auth.outcome !== 'authorized') throw new Error('not authorized');
    await psp.capture({ idempotencyKey: 'cap', reference: auth.reference, amount: 2_500, currency: 'EUR' });
    const refund = {
      idempotencyKey: 'ref-1',
      reference: auth.reference,
      amount: 1_000,
      currency: 'EUR',
      reason: 'r',
      merchantReference: 'ref-1',
    };
    const [a, b] = await Promise.all([psp.refund(refund), psp.refund(refund)]);
    expect(b).toEqual(a);
    expect(psp.authorization(auth.reference)?.refunded).toBe(1_000);
  });
});

describe('FakePaymentProvider rules', () => {
  const authorizedAt = async (psp: FakePaymentProvider) => {
    const a = await psp.authorize(request('tok_visa'));
    if (a.outcome !== 'authorized') throw new Error('not authorized');
    return a.reference;
  };

  it('captures at most the authorization, once; voids only before capture', async () => {
    const psp = provider();
    const reference = await authorizedAt(psp);
    await expect(
      psp.capture({ idempotencyKey: 'c1', reference, amount: 2_501, currency: 'EUR' }),
    ).resolves.toEqual({ outcome: 'rejected', reason: 'amount_exceeds_authorized' });
    await expect(
      psp.capture({ idempotencyKey: 'c2', reference, amount: 2_500, currency: 'EUR' }),
    ).resolves.toMatchObject({
      outcome: 'captured',
      amount: 2_500,
    });
    await expect(
      psp.capture({ idempotencyKey: 'c3', reference, amount: 2_500, currency: 'EUR' }),
    ).resolves.toEqual({
      outcome: 'rejected',
      reason: 'already_captured',
    });
    await expect(psp.void({ idempotencyKey: 'v1', reference })).resolves.toEqual({
      outcome: 'rejected',
      reason: 'already_captured',
    });

    const other = await authorizedAt(psp);
    await expect(psp.void({ idempotencyKey: 'v2', reference: other })).resolves.toMatchObject({
      outcome: 'voided',
    });
    await expect(psp.void({ idempotencyKey: 'v3', reference: other })).resolves.toMatchObject({
      outcome: 'voided',
    });
    await expect(
      psp.capture({ idempotencyKey: 'c4', reference: other, amount: 1, currency: 'EUR' }),
    ).resolves.toEqual({
      outcome: 'rejected',
      reason: 'authorization_voided',
    });
    await expect(psp.void({ idempotencyKey: 'v4', reference: 'fake_auth_nope' })).resolves.toEqual({
      outcome: 'rejected',
      reason: 'unknown_authorization',
    });
  });

  it('refunds at most captured − refunded, and nothing before capture', async () => {
    const psp = provider();
    const reference = await authorizedAt(psp);
    const refund = (key: string, amount: number) =>
      psp.refund({
        idempotencyKey: key,
        reference,
        amount,
        currency: 'EUR',
        reason: 'r',
        merchantReference: key,
      });
    await expect(refund('r0', 1)).resolves.toEqual({ outcome: 'rejected', reason: 'not_captured' });
    await psp.capture({ idempotencyKey: 'c', reference, amount: 2_000, currency: 'EUR' });
    await expect(refund('r1', 1_500)).resolves.toMatchObject({ outcome: 'refunded', amount: 1_500 });
    await expect(refund('r2', 501)).resolves.toEqual({
      outcome: 'rejected',
      reason: 'amount_exceeds_refundable',
    });
    await expect(refund('r3', 500)).resolves.toMatchObject({ outcome: 'refunded', amount: 500 });
    expect(psp.authorization(reference)).toMatchObject({ captured: 2_000, refunded: 2_000 });
    expect(psp.operations.filter((o) => o.kind === 'refund').map((o) => o.outcome)).toEqual([
      'rejected',
      'refunded',
      'rejected',
      'refunded',
    ]);
  });
});

describe('FakePaymentProvider outages', () => {
  it('FAKE_PSP_OUTAGE: every call fails as unavailable and does nothing, until the outage ends', async () => {
    const psp = provider({ outage: true });
    expect(psp.outage).toBe(true);
    const req = request('tok_visa');
    await expect(psp.authorize(req)).rejects.toEqual(unavailable('outage'));
    await expect(psp.findAuthorization(req.idempotencyKey)).rejects.toEqual(unavailable('outage'));
    await expect(
      psp.capture({ idempotencyKey: 'k', reference: 'r', amount: 1, currency: 'EUR' }),
    ).rejects.toEqual(unavailable('outage'));
    await expect(psp.void({ idempotencyKey: 'k', reference: 'r' })).rejects.toEqual(unavailable('outage'));
    expect(psp.operations).toEqual([]);
    psp.setOutage(false);
    await expect(psp.authorize(req)).resolves.toMatchObject({ outcome: 'authorized' });
  });

  it('injects failures before the operation: nothing done', async () => {
    const psp = provider();
    const req = request('tok_visa');
    psp.failNext(2);
    await expect(psp.authorize(req)).rejects.toEqual(unavailable('provider_error'));
    await expect(psp.authorize(req)).rejects.toEqual(unavailable('provider_error'));
    expect(psp.authorizationsFor(req.orderId)).toEqual([]);
    await expect(psp.authorize(req)).resolves.toMatchObject({ outcome: 'authorized' });
  });
});

describe('FakePaymentProvider webhooks', () => {
  it('signs its events with HMAC-SHA256 of the body and verifies them', async () => {
    const psp = provider();
    const a = await psp.authorize(request('tok_visa'));
    if (a.outcome !== 'authorized') throw new Error('not authorized');
    psp.dashboardCapture(a.reference);
    const hook = psp.dashboardRefund(a.reference, 700, 'goodwill');
    expect(hook.headers[FAKE_SIGNATURE_HEADER]).toBe(fakeWebhookSignature(SECRET, hook.body));
    expect(hook.headers[FAKE_SIGNATURE_HEADER]).toMatch(/^sha256=[0-9a-f]{64}$/);
    const verified = psp.verifyWebhook(Buffer.from(hook.body), hook.headers);
    expect(verified).toEqual({
      ok: true,
      event: {
        id: hook.event.id,
        type: 'payment.refunded',
        reference: a.reference,
        refundReference: expect.stringMatching(/^fake_re_/),
        amount: 700,
        reason: 'goodwill',
        merchantReference: null,
      },
    });
    expect(psp.authorization(a.reference)?.refunded).toBe(700);
  });

  it('refuses a missing, malformed, wrong-key or tampered signature; a signed non-event is malformed', () => {
    const psp = provider();
    const hook = psp.signWebhook({
      id: 'evt_1',
      type: 'payment.voided',
      created: new Date().toISOString(),
      data: { reference: 'fake_auth_x' },
    });
    const body = Buffer.from(hook.body);
    expect(psp.verifyWebhook(body, {})).toEqual({ ok: false, failure: 'missing_signature' });
    expect(psp.verifyWebhook(body, { [FAKE_SIGNATURE_HEADER]: 'md5=abc' })).toEqual({
      ok: false,
      failure: 'bad_signature',
    });
    expect(
      psp.verifyWebhook(body, { [FAKE_SIGNATURE_HEADER]: fakeWebhookSignature('another-secret-0123', body) }),
    ).toEqual({
      ok: false,
      failure: 'bad_signature',
    });
    const tampered = Buffer.from(hook.body.replace('fake_auth_x', 'fake_auth_y'));
    expect(psp.verifyWebhook(tampered, hook.headers)).toEqual({ ok: false, failure: 'bad_signature' });
    const notJson = Buffer.from('{"id":');
    expect(
      psp.verifyWebhook(notJson, { [FAKE_SIGNATURE_HEADER]: fakeWebhookSignature(SECRET, notJson) }),
    ).toMatchObject({
      ok: false,
      failure: 'malformed',
    });
    const incomplete = Buffer.from(
      JSON.stringify({ id: 'evt_2', type: 'payment.refunded', created: new Date().toISOString(), data: {} }),
    );
    expect(
      psp.verifyWebhook(incomplete, { [FAKE_SIGNATURE_HEADER]: fakeWebhookSignature(SECRET, incomplete) }),
    ).toMatchObject({
      ok: false,
      failure: 'malformed',
      detail: 'data.reference: is required for payment.refunded',
    });
    const other = Buffer.from(
      JSON.stringify({ id: 'evt_3', type: 'payment.disputed', created: new Date().toISOString() }),
    );
    expect(
      psp.verifyWebhook(other, { [FAKE_SIGNATURE_HEADER]: fakeWebhookSignature(SECRET, other) }),
    ).toEqual({
      ok: true,
      event: { id: 'evt_3', type: 'other', name: 'payment.disputed' },
    });
  });
});
