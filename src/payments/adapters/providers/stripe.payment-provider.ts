import Stripe from 'stripe';
import { isUuid } from '../../../platform/ids.js';
import {
  type AuthorizationLookup,
  type AuthorizeRequest,
  type AuthorizeResult,
  type CaptureRequest,
  type CaptureResult,
  type PaymentProvider,
  type ProviderCallOptions,
  type ProviderOperation,
  ProviderUnavailableError,
  type ProviderWebhookEvent,
  type RefundRequest,
  type RefundResult,
  type VoidRequest,
  type VoidResult,
  type WebhookHeaders,
  type WebhookVerification,
} from '../../application/payment-provider.port.js';

export const STRIPE_PROVIDER = 'stripe';

/** How old a signed webhook may be (Stripe's default tolerance): an older one is a replay attack. */
export const STRIPE_WEBHOOK_TOLERANCE_SECONDS = 300;

/** The metadata keys we keep on a PaymentIntent (what its webhooks and the lookup by key find it by). */
export const STRIPE_METADATA = {
  paymentId: 'shopcore_payment_id',
  orderId: 'shopcore_order_id',
  idempotencyKey: 'shopcore_idempotency_key',
  refundId: 'shopcore_refund_id',
} as const;

export interface StripeProviderOptions {
  /** STRIPE_SECRET_KEY */
  secretKey: string;
  /** STRIPE_WEBHOOK_SECRET: the signing secret of the webhook endpoint (whsec_…) */
  webhookSecret: string;
  /** STRIPE_API_URL: another base URL (an emulator); Stripe's own when unset */
  apiUrl?: string | undefined;
  /**
   * the SDK's own socket timeout (ms): a backstop only — the resilient wrapper's per-attempt timeout
   * is the one that answers the caller
   */
  socketTimeoutMs?: number;
}

/** A PaymentMethod id (`pm_…`): what Stripe.js gives the storefront, and Stripe's test ids (`pm_card_visa`). */
const PAYMENT_METHOD_ID = /^pm_[A-Za-z0-9_]{1,200}$/;

type Intent = Stripe.PaymentIntent;

/** The reference of a capture: the intent's charge (the same from our capture and from its webhook). */
export const captureReferenceOf = (intent: Pick<Intent, 'id' | 'latest_charge'>): string => {
  const charge = intent.latest_charge;
  if (typeof charge === 'string') return charge;
  return charge?.id ?? `${intent.id}:capture`;
};

/**
 * What a PaymentIntent's status means for an authorization (docs/payments.md, "Stripe"):
 * requires_capture (or succeeded) → authorized; requires_action → the customer must act (3-D Secure);
 * requires_payment_method and canceled → declined; processing and requires_confirmation → not
 * known yet (unavailable: asked again later with the same key).
 */
export const authorizationOf = (intent: Intent): AuthorizeResult => {
  switch (intent.status) {
    case 'requires_capture':
    case 'succeeded':
      return {
        outcome: 'authorized',
        reference: intent.id,
        amount: intent.amount_capturable > 0 ? intent.amount_capturable : intent.amount,
        ...cardOf(intent),
      };
    case 'requires_action':
      return {
        outcome: 'action_required',
        reference: intent.id,
        nextAction: {
          type: intent.next_action?.type ?? 'use_stripe_sdk',
          clientSecret: intent.client_secret ?? '',
        },
      };
    case 'requires_payment_method':
      return {
        outcome: 'declined',
        reason:
          intent.last_payment_error?.decline_code ??
          intent.last_payment_error?.code ??
          'requires_payment_method',
      };
    case 'canceled':
      return {
        outcome: 'declined',
        reason: `canceled${intent.cancellation_reason ? `: ${intent.cancellation_reason}` : ''}`,
      };
    default:
      throw new ProviderUnavailableError(
        'provider_error',
        `stripe payment intent is ${intent.status}; asked again later`,
      );
  }
};

/**
 * The card's brand and last four, from the PaymentMethod every call of ours expands
 * (`expand[]=payment_method`); `card` and `0000` when Stripe did not send them.
 */
const cardOf = (intent: Intent): { brand: string; last4: string } => {
  const method = typeof intent.payment_method === 'object' ? intent.payment_method : null;
  const card = method?.card;
  const last4 = card?.last4 && /^\d{4}$/.test(card.last4) ? card.last4 : '0000';
  return { brand: card?.brand ?? 'card', last4 };
};

/** Every call that answers a PaymentIntent expands its PaymentMethod: the card's brand and last four. */
const EXPAND = ['payment_method'];

/** How a Stripe error came about, without its message (which may quote what we sent). */
const describe = (err: Stripe.errors.StripeError): string =>
  [err.type, err.statusCode, err.code, err.decline_code]
    .filter((x) => x !== undefined && x !== null)
    .join(' ');

/**
 * What an error of the SDK means (docs/payments.md, "Stripe"): a card error (402 `card_error`) is the
 * issuer's decline; 429, 5xx, connection errors and timeouts, and a key Stripe refuses (401/403: our
 * configuration, not the shopper) are unavailable — the same call may be made again with its key;
 * a refused request (400/404) is Stripe's rule (`rejected`, or a decline for an authorization);
 * an idempotency error (the same key with other parameters) is a fault of ours and is thrown.
 */
export type StripeErrorMeaning =
  | { kind: 'declined'; reason: string }
  | { kind: 'rejected'; reason: string }
  | { kind: 'unavailable'; error: ProviderUnavailableError };

export const meaningOf = (err: unknown, operation: ProviderOperation): StripeErrorMeaning => {
  if (err instanceof ProviderUnavailableError) return { kind: 'unavailable', error: err };
  if (!(err instanceof Stripe.errors.StripeError)) {
    // not the SDK's: a bug of ours, or the network under it — never a decline
    return {
      kind: 'unavailable',
      error: new ProviderUnavailableError('provider_error', `stripe ${operation} failed (${errorName(err)})`),
    };
  }
  const unavailable = (): StripeErrorMeaning => ({
    kind: 'unavailable',
    error: new ProviderUnavailableError('provider_error', `stripe ${operation} failed: ${describe(err)}`),
  });
  if (err instanceof Stripe.errors.StripeIdempotencyError) {
    throw new Error(
      `stripe refused an idempotency key reused with other parameters (${operation}): ${describe(err)}`,
    );
  }
  if (err instanceof Stripe.errors.StripeCardError || err.type === 'StripeCardError') {
    return { kind: 'declined', reason: err.decline_code ?? err.code ?? 'card_declined' };
  }
  if (
    err instanceof Stripe.errors.StripeRateLimitError ||
    err instanceof Stripe.errors.StripeConnectionError ||
    err instanceof Stripe.errors.StripeAPIError ||
    err instanceof Stripe.errors.StripeAuthenticationError ||
    err instanceof Stripe.errors.StripePermissionError ||
    (err.statusCode ?? 500) >= 500 ||
    err.statusCode === 429
  ) {
    return unavailable();
  }
  // 400 / 404: a request Stripe refuses (an unknown PaymentMethod, a capture of a canceled intent)
  const reason = err.code ?? 'invalid_request';
  return operation === 'authorize' ? { kind: 'declined', reason } : { kind: 'rejected', reason };
};

const errorName = (err: unknown): string => (err instanceof Error ? err.name : typeof err);

/**
 * The `stripe` payment provider on the official SDK (ADR 0029), behind the same port and the same
 * resilient wrapper as the fake:
 *
 * - authorize: a PaymentIntent with `capture_method=manual`, the order's amount and currency,
 *   confirmed at once with the PaymentMethod the storefront sent (`payment.token`); a replayed answer
 *   (`Idempotent-Replayed`) that still waits for the customer is read again, so a retry sees where
 *   3-D Secure got to;
 * - capture, void, refund: the intent's capture and cancel, and a Refund;
 * - every call carries the payment's own idempotency key as Stripe's `Idempotency-Key`, and the SDK's
 *   own retries are off (`maxNetworkRetries: 0`): one retry policy, the wrapper's;
 * - webhooks: `Stripe-Signature` checked by `stripe.webhooks.constructEvent` (tolerance 300 s).
 *
 * Errors leave as {@link ProviderUnavailableError} with a message of our own (type, status, code),
 * never the SDK's message or the key.
 */
export class StripePaymentProvider implements PaymentProvider {
  readonly name = STRIPE_PROVIDER;
  private readonly stripe: Stripe;
  private readonly webhookSecret: string;

  constructor(opts: StripeProviderOptions) {
    if (!opts.secretKey) throw new Error('the stripe payment provider needs STRIPE_SECRET_KEY');
    if (!opts.webhookSecret) throw new Error('the stripe payment provider needs STRIPE_WEBHOOK_SECRET');
    this.webhookSecret = opts.webhookSecret;
    const config: Stripe.StripeConfig = {
      maxNetworkRetries: 0,
      timeout: opts.socketTimeoutMs ?? 30_000,
      telemetry: false,
      appInfo: { name: 'shopcore' },
    };
    if (opts.apiUrl) {
      const url = new URL(opts.apiUrl);
      const protocol = url.protocol === 'http:' ? 'http' : 'https';
      config.host = url.hostname;
      config.port = url.port || (protocol === 'http' ? 80 : 443);
      config.protocol = protocol;
    }
    this.stripe = new Stripe(opts.secretKey, config);
  }

  acceptsToken(token: string): boolean {
    return PAYMENT_METHOD_ID.test(token);
  }

  async authorize(request: AuthorizeRequest, _opts?: ProviderCallOptions): Promise<AuthorizeResult> {
    let intent: Stripe.Response<Intent>;
    try {
      intent = await this.stripe.paymentIntents.create(
        {
          amount: request.amount,
          currency: request.currency.toLowerCase(),
          capture_method: 'manual',
          confirm: true,
          payment_method: request.token,
          metadata: {
            [STRIPE_METADATA.paymentId]: request.paymentId,
            [STRIPE_METADATA.orderId]: request.orderId,
            [STRIPE_METADATA.idempotencyKey]: request.idempotencyKey,
          },
          expand: EXPAND,
        },
        { idempotencyKey: request.idempotencyKey },
      );
    } catch (err) {
      const meaning = meaningOf(err, 'authorize');
      if (meaning.kind === 'unavailable') throw meaning.error;
      return { outcome: 'declined', reason: meaning.reason };
    }
    // Stripe replays the first answer to a key: one that waited for the customer may be stale
    if (intent.status === 'requires_action' && isReplay(intent))
      return authorizationOf(await this.retrieve(intent.id));
    return authorizationOf(intent);
  }

  async findAuthorization(idempotencyKey: string, _opts?: ProviderCallOptions): Promise<AuthorizationLookup> {
    let found: Stripe.ApiSearchResult<Intent>;
    try {
      found = await this.stripe.paymentIntents.search({
        query: `metadata['${STRIPE_METADATA.idempotencyKey}']:'${idempotencyKey.replace(/'/g, '')}'`,
        limit: 1,
        expand: EXPAND.map((field) => `data.${field}`),
      });
    } catch (err) {
      throw this.unavailableOrThrow(err, 'lookup');
    }
    const intent = found.data[0];
    if (!intent) return { outcome: 'none' };
    return authorizationOf(intent);
  }

  async capture(request: CaptureRequest, _opts?: ProviderCallOptions): Promise<CaptureResult> {
    try {
      const intent = await this.stripe.paymentIntents.capture(
        request.reference,
        { amount_to_capture: request.amount },
        { idempotencyKey: request.idempotencyKey },
      );
      if (intent.status !== 'succeeded')
        return { outcome: 'rejected', reason: `payment intent ${intent.status}` };
      return { outcome: 'captured', reference: captureReferenceOf(intent), amount: intent.amount_received };
    } catch (err) {
      const meaning = meaningOf(err, 'capture');
      if (meaning.kind === 'unavailable') throw meaning.error;
      // captured already (in the dashboard, or by a call of ours under another key): that is the answer
      if (meaning.reason === 'payment_intent_unexpected_state') {
        const intent = await this.retrieve(request.reference);
        if (intent.status === 'succeeded') {
          return {
            outcome: 'captured',
            reference: captureReferenceOf(intent),
            amount: intent.amount_received,
          };
        }
      }
      return { outcome: 'rejected', reason: meaning.reason };
    }
  }

  async void(request: VoidRequest, _opts?: ProviderCallOptions): Promise<VoidResult> {
    try {
      const intent = await this.stripe.paymentIntents.cancel(
        request.reference,
        {},
        { idempotencyKey: request.idempotencyKey },
      );
      if (intent.status !== 'canceled')
        return { outcome: 'rejected', reason: `payment intent ${intent.status}` };
      return { outcome: 'voided', reference: intent.id };
    } catch (err) {
      const meaning = meaningOf(err, 'void');
      if (meaning.kind === 'unavailable') throw meaning.error;
      // cancelled already (in the dashboard, or by Stripe): that is the answer
      if (meaning.reason === 'payment_intent_unexpected_state') {
        const intent = await this.retrieve(request.reference);
        if (intent.status === 'canceled') return { outcome: 'voided', reference: intent.id };
      }
      return { outcome: 'rejected', reason: meaning.reason };
    }
  }

  async refund(request: RefundRequest, _opts?: ProviderCallOptions): Promise<RefundResult> {
    try {
      const refund = await this.stripe.refunds.create(
        {
          payment_intent: request.reference,
          amount: request.amount,
          metadata: { [STRIPE_METADATA.refundId]: request.merchantReference },
        },
        { idempotencyKey: request.idempotencyKey },
      );
      if (refund.status === 'failed' || refund.status === 'canceled') {
        return { outcome: 'rejected', reason: refund.failure_reason ?? `refund ${refund.status}` };
      }
      return { outcome: 'refunded', reference: refund.id, amount: refund.amount };
    } catch (err) {
      const meaning = meaningOf(err, 'refund');
      if (meaning.kind === 'unavailable') throw meaning.error;
      return { outcome: 'rejected', reason: meaning.reason };
    }
  }

  verifyWebhook(rawBody: Uint8Array, headers: WebhookHeaders): WebhookVerification {
    const header = headers['stripe-signature'];
    const signature = Array.isArray(header) ? header[0] : header;
    if (!signature) return { ok: false, failure: 'missing_signature' };
    let event: Stripe.Event;
    try {
      event = this.stripe.webhooks.constructEvent(
        Buffer.from(rawBody),
        signature,
        this.webhookSecret,
        STRIPE_WEBHOOK_TOLERANCE_SECONDS,
      );
    } catch (err) {
      if (err instanceof Stripe.errors.StripeSignatureVerificationError)
        return { ok: false, failure: 'bad_signature' };
      return { ok: false, failure: 'malformed', detail: 'not a JSON Stripe event' };
    }
    try {
      const parsed = stripeEventToProviderEvent(event);
      if (!wellFormed(parsed)) {
        return {
          ok: false,
          failure: 'malformed',
          detail: `a ${event.type} event without its object's ids or amounts`,
        };
      }
      return { ok: true, event: parsed };
    } catch (err) {
      return {
        ok: false,
        failure: 'malformed',
        detail: err instanceof Error ? err.message : 'malformed event',
      };
    }
  }

  private async retrieve(id: string): Promise<Intent> {
    try {
      return await this.stripe.paymentIntents.retrieve(id, { expand: EXPAND });
    } catch (err) {
      throw this.unavailableOrThrow(err, 'lookup');
    }
  }

  private unavailableOrThrow(err: unknown, operation: ProviderOperation): Error {
    const meaning = meaningOf(err, operation);
    if (meaning.kind === 'unavailable') return meaning.error;
    return new ProviderUnavailableError('provider_error', `stripe ${operation} refused: ${meaning.reason}`);
  }
}

/** Ids are strings and amounts whole numbers: a signed event of another shape is refused (400), never applied. */
const wellFormed = (event: ProviderWebhookEvent): boolean => {
  if (typeof event.id !== 'string' || event.id === '') return false;
  if (event.type === 'other') return true;
  if (typeof event.reference !== 'string' || event.reference === '') return false;
  switch (event.type) {
    case 'payment.captured':
      return typeof event.captureReference === 'string' && Number.isInteger(event.amount) && event.amount > 0;
    case 'payment.refunded':
      return typeof event.refundReference === 'string' && Number.isInteger(event.amount) && event.amount > 0;
    case 'payment.disputed':
      return (
        typeof event.disputeReference === 'string' &&
        Number.isInteger(event.amount) &&
        typeof event.currency === 'string'
      );
    default:
      return true;
  }
};

const isReplay = (intent: Stripe.Response<Intent>): boolean => {
  const headers = intent.lastResponse?.headers as Record<string, string | undefined> | undefined;
  return headers?.['idempotent-replayed'] === 'true';
};

const ourPaymentId = (metadata: Stripe.Metadata | null | undefined): string | null => {
  const id = metadata?.[STRIPE_METADATA.paymentId];
  return id && isUuid(id) ? id : null;
};

const intentIdOf = (value: string | { id: string } | null | undefined): string | null =>
  typeof value === 'string' ? value : (value?.id ?? null);

/**
 * A verified Stripe event as the port's event (docs/payments.md, "Stripe webhooks"):
 * `payment_intent.amount_capturable_updated` and `payment_intent.payment_failed` → the authorization
 * changed (checkout asks again); `payment_intent.canceled` → voided; `payment_intent.succeeded` →
 * captured; `charge.refunded` and `refund.created` → refunded; `charge.dispute.created` → disputed;
 * everything else is acknowledged.
 */
export const stripeEventToProviderEvent = (event: Stripe.Event): ProviderWebhookEvent => {
  switch (event.type) {
    case 'payment_intent.amount_capturable_updated':
    case 'payment_intent.payment_failed':
    case 'payment_intent.canceled': {
      const intent = event.data.object;
      return {
        id: event.id,
        type: event.type === 'payment_intent.canceled' ? 'payment.voided' : 'payment.authorization_changed',
        reference: intent.id,
        paymentId: ourPaymentId(intent.metadata),
      };
    }
    case 'payment_intent.succeeded': {
      const intent = event.data.object;
      return {
        id: event.id,
        type: 'payment.captured',
        reference: intent.id,
        captureReference: captureReferenceOf(intent),
        amount: intent.amount_received,
      };
    }
    case 'charge.refunded': {
      const charge = event.data.object;
      const reference = intentIdOf(charge.payment_intent);
      // the newest refund first (when the event carries the charge's refunds)
      const refund = charge.refunds?.data?.[0];
      if (!reference || !refund) return { id: event.id, type: 'other', name: event.type };
      return refundEvent(event.id, reference, refund);
    }
    case 'charge.dispute.created': {
      const dispute = event.data.object;
      const reference = intentIdOf(dispute.payment_intent);
      if (!reference) return { id: event.id, type: 'other', name: event.type };
      return {
        id: event.id,
        type: 'payment.disputed',
        reference,
        disputeReference: dispute.id,
        amount: dispute.amount,
        currency: dispute.currency,
        reason: dispute.reason ?? null,
      };
    }
    case 'refund.created': {
      const refund = event.data.object;
      const reference = intentIdOf(refund.payment_intent);
      if (!reference || refund.status === 'failed' || refund.status === 'canceled') {
        return { id: event.id, type: 'other', name: event.type };
      }
      return refundEvent(event.id, reference, refund);
    }
    default:
      return { id: event.id, type: 'other', name: event.type };
  }
};

const refundEvent = (id: string, reference: string, refund: Stripe.Refund): ProviderWebhookEvent => ({
  id,
  type: 'payment.refunded',
  reference,
  refundReference: refund.id,
  amount: refund.amount,
  reason: refund.reason ?? null,
  merchantReference: refund.metadata?.[STRIPE_METADATA.refundId] ?? null,
});
