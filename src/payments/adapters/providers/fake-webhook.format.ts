import { createHmac, timingSafeEqual } from 'node:crypto';
import { z } from 'zod';
import { text } from '../../../platform/http/input.js';
import type {
  ProviderWebhookEvent,
  WebhookHeaders,
  WebhookVerification,
} from '../../application/payment-provider.port.js';
import { MAX_PAYMENT_AMOUNT } from '../../domain/payment.aggregate.js';

/**
 * The webhooks of the built-in `fake` provider (docs/payments.md):
 *
 * ```
 * POST /api/v1/payments/webhooks/fake
 * content-type: application/json
 * x-fake-signature: sha256=<hex HMAC-SHA256 of the raw body under FAKE_PSP_WEBHOOK_SECRET>
 *
 * {"id":"evt_…","type":"payment.refunded","created":"2026-01-01T12:00:00.000Z",
 *  "data":{"reference":"fake_auth_…","amount":500,"currency":"EUR","refundReference":"fake_re_…",
 *          "merchantReference":null,"reason":"goodwill"}}
 * ```
 *
 * Types acted on: `payment.captured` (data: reference, amount, captureReference), `payment.refunded`
 * (reference, amount, refundReference, merchantReference — our refund id when the refund was ours —,
 * reason), `payment.voided` (reference). Any other type is acknowledged and has no effect.
 */
export const FAKE_SIGNATURE_HEADER = 'x-fake-signature';

const REFERENCE = /^fake_[a-z]+_[A-Za-z0-9-]{1,64}$/;
const reference = () =>
  text({ max: 80, pattern: REFERENCE, patternMessage: 'must be a fake provider reference' });

export const fakeWebhookEventSchema = z
  .object({
    id: text({
      max: 80,
      pattern: /^evt_[A-Za-z0-9_-]{1,64}$/,
      patternMessage: 'must be an event id (evt_…)',
    }),
    type: text({ max: 64, pattern: /^[a-z]+(\.[a-z_]+)+$/, patternMessage: 'must be an event type' }),
    created: z.iso.datetime({ offset: true }),
    data: z
      .object({
        reference: reference().optional(),
        amount: z.number().int().min(1).max(MAX_PAYMENT_AMOUNT).optional(),
        currency: text({
          max: 3,
          pattern: /^[A-Z]{3}$/,
          patternMessage: 'must be an ISO 4217 code',
        }).optional(),
        captureReference: reference().optional(),
        refundReference: reference().optional(),
        merchantReference: text({ max: 100 }).nullable().optional(),
        reason: text({ max: 500 }).nullable().optional(),
      })
      .default({}),
  })
  .meta({
    id: 'FakeProviderWebhookEvent',
    description:
      'An event of the built-in `fake` payment provider. Other providers post their own formats to their own path.',
  });
export type FakeWebhookEvent = z.input<typeof fakeWebhookEventSchema>;

/** `sha256=<hex>`: HMAC-SHA256 of the exact body bytes. */
export const fakeWebhookSignature = (secret: string, body: string | Uint8Array): string =>
  `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;

export interface SignedWebhook {
  body: string;
  headers: { 'content-type': 'application/json'; [FAKE_SIGNATURE_HEADER]: string };
  event: FakeWebhookEvent;
}

/** The request the fake provider would send for `event` (compact JSON, signed). */
export const signFakeWebhook = (secret: string, event: FakeWebhookEvent): SignedWebhook => {
  const body = JSON.stringify(event);
  return {
    body,
    headers: {
      'content-type': 'application/json',
      [FAKE_SIGNATURE_HEADER]: fakeWebhookSignature(secret, body),
    },
    event,
  };
};

const SIGNATURE = /^sha256=([0-9a-f]{64})$/;

/** Signature first (constant-time), then the format; a failure never says more than which step failed. */
export const verifyFakeWebhook = (
  secret: string,
  rawBody: Uint8Array,
  headers: WebhookHeaders,
): WebhookVerification => {
  const header = headers[FAKE_SIGNATURE_HEADER];
  const value = (Array.isArray(header) ? header[0] : header)?.trim();
  if (!value) return { ok: false, failure: 'missing_signature' };
  const match = SIGNATURE.exec(value.toLowerCase());
  if (!match) return { ok: false, failure: 'bad_signature' };
  const expected = createHmac('sha256', secret).update(rawBody).digest();
  const given = Buffer.from(match[1]!, 'hex');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
    return { ok: false, failure: 'bad_signature' };
  }
  let json: unknown;
  try {
    json = JSON.parse(Buffer.from(rawBody).toString('utf8'));
  } catch {
    return { ok: false, failure: 'malformed', detail: 'the body is not JSON' };
  }
  const parsed = fakeWebhookEventSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    return {
      ok: false,
      failure: 'malformed',
      detail: `${issue.path.join('.') || '(body)'}: ${issue.message}`,
    };
  }
  const e = parsed.data;
  const d = e.data;
  const missing = (field: string): WebhookVerification => ({
    ok: false,
    failure: 'malformed',
    detail: `data.${field}: is required for ${e.type}`,
  });
  let event: ProviderWebhookEvent;
  switch (e.type) {
    case 'payment.captured':
      if (!d.reference) return missing('reference');
      if (d.amount === undefined) return missing('amount');
      if (!d.captureReference) return missing('captureReference');
      event = {
        id: e.id,
        type: e.type,
        reference: d.reference,
        captureReference: d.captureReference,
        amount: d.amount,
      };
      break;
    case 'payment.refunded':
      if (!d.reference) return missing('reference');
      if (d.amount === undefined) return missing('amount');
      if (!d.refundReference) return missing('refundReference');
      event = {
        id: e.id,
        type: e.type,
        reference: d.reference,
        refundReference: d.refundReference,
        amount: d.amount,
        reason: d.reason ?? null,
        merchantReference: d.merchantReference ?? null,
      };
      break;
    case 'payment.voided':
      if (!d.reference) return missing('reference');
      event = { id: e.id, type: e.type, reference: d.reference };
      break;
    default:
      event = { id: e.id, type: 'other', name: e.type };
  }
  return { ok: true, event };
};
