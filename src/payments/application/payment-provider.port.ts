/**
 * The port to a payment service provider (PSP): the built-in `fake` (adapters/providers) and, later,
 * real ones (Stripe, Adyen, regional rails). Every money-moving call carries an **idempotency key**:
 * the provider answers the same key with the original result and does nothing again, so a retried call
 * (a timeout whose answer was lost, a worker after a crash) never charges twice.
 *
 * Results the provider gives are typed outcomes (`declined`, `rejected` are answers, not errors). A
 * provider that cannot be reached or answers 5xx throws {@link ProviderUnavailableError}; the
 * resilience around the port (timeout, jittered retries, circuit breaker) lives in
 * adapters/providers/resilient.payment-provider.ts.
 */

/** Why the provider could not answer: a call timed out, it failed (5xx, network), it is down (outage drill), or the breaker is open. */
export type UnavailableReason = 'timeout' | 'provider_error' | 'outage' | 'circuit_open';

/** The provider cannot be reached or failed (timeout, 5xx, breaker open): try again later with the same key. */
export class ProviderUnavailableError extends Error {
  constructor(
    readonly reason: UnavailableReason,
    message = `payment provider unavailable (${reason})`,
  ) {
    super(message);
    this.name = 'ProviderUnavailableError';
  }
}

export const isProviderUnavailable = (err: unknown): err is ProviderUnavailableError =>
  err instanceof ProviderUnavailableError;

export type ProviderOperation = 'authorize' | 'lookup' | 'capture' | 'void' | 'refund';

/** Passed down by the resilience layer: the call was given up (timeout); a remote adapter aborts its request. */
export interface ProviderCallOptions {
  signal?: AbortSignal;
}

export interface AuthorizeRequest {
  idempotencyKey: string;
  /** our references, kept by the provider with the authorization (merchant reference) */
  paymentId: string;
  orderId: string;
  token: string;
  /** integer minor units */
  amount: number;
  currency: string;
}

/** What the customer must do for an authorization to go on (3-D Secure): handed to the storefront (Stripe.js). */
export interface NextAction {
  /** the provider's kind of action: `use_stripe_sdk`, `redirect_to_url` */
  type: string;
  /** what the storefront passes to the provider's SDK to perform it */
  clientSecret: string;
}

export type AuthorizeResult =
  | { outcome: 'authorized'; reference: string; amount: number; brand: string; last4: string }
  | { outcome: 'declined'; reason: string }
  /**
   * the provider waits for the customer (3-D Secure): nothing authorized yet; the provider's webhook
   * (or asking again with the same key) tells what became of it
   */
  | { outcome: 'action_required'; reference: string; nextAction: NextAction };

/** What became of an authorization request made with a key: its result, or none made. */
export type AuthorizationLookup = AuthorizeResult | { outcome: 'none' };

export interface CaptureRequest {
  idempotencyKey: string;
  /** the authorization's reference */
  reference: string;
  amount: number;
  currency: string;
}
export type CaptureResult =
  | { outcome: 'captured'; reference: string; amount: number }
  | { outcome: 'rejected'; reason: string };

export interface VoidRequest {
  idempotencyKey: string;
  reference: string;
}
export type VoidResult = { outcome: 'voided'; reference: string } | { outcome: 'rejected'; reason: string };

export interface RefundRequest {
  idempotencyKey: string;
  /** the authorization's reference */
  reference: string;
  amount: number;
  currency: string;
  reason: string;
  /** our refund id, announced back in the provider's refund webhooks */
  merchantReference: string;
}
export type RefundResult =
  | { outcome: 'refunded'; reference: string; amount: number }
  | { outcome: 'rejected'; reason: string };

/** A provider's webhook, verified and parsed. `reference` is the authorization's reference. */
export type ProviderWebhookEvent =
  | { id: string; type: 'payment.captured'; reference: string; captureReference: string; amount: number }
  | {
      id: string;
      type: 'payment.refunded';
      reference: string;
      refundReference: string;
      amount: number;
      reason: string | null;
      /** our refund id when the refund was ours */
      merchantReference: string | null;
    }
  | {
      id: string;
      type: 'payment.voided';
      reference: string;
      /** our payment id when the provider keeps it with the authorization (a void of one still pending) */
      paymentId?: string | null;
    }
  /**
   * an authorization that waited for the customer (3-D Secure) went on: approved, failed or given up.
   * The port says nothing of the result: asking the provider again (with the payment's key) does.
   */
  | { id: string; type: 'payment.authorization_changed'; reference: string; paymentId: string | null }
  /**
   * the customer disputed a charge with their bank (a chargeback): the money is held by the provider
   * until the dispute is decided; the payment does not move, the order gets a note, ops are told
   */
  | {
      id: string;
      type: 'payment.disputed';
      reference: string;
      disputeReference: string;
      amount: number;
      currency: string;
      reason: string | null;
    }
  /** a type this port does not act on: acknowledged, no effect */
  | { id: string; type: 'other'; name: string };

export type WebhookVerification =
  | { ok: true; event: ProviderWebhookEvent }
  | { ok: false; failure: 'missing_signature' | 'bad_signature' }
  /** signed correctly, but not an event of the provider's format */
  | { ok: false; failure: 'malformed'; detail: string };

export type WebhookHeaders = Readonly<Record<string, string | string[] | undefined>>;

export interface PaymentProvider {
  /** the provider's name in URLs (`/payments/webhooks/:provider`) and on payments: `fake` */
  readonly name: string;
  /** false for a token this provider can never accept (malformed): 400 at checkout, no call made */
  acceptsToken(token: string): boolean;
  authorize(request: AuthorizeRequest, opts?: ProviderCallOptions): Promise<AuthorizeResult>;
  /** the result of the authorization requested with `idempotencyKey`, if any (voiding what a lost answer left) */
  findAuthorization(idempotencyKey: string, opts?: ProviderCallOptions): Promise<AuthorizationLookup>;
  capture(request: CaptureRequest, opts?: ProviderCallOptions): Promise<CaptureResult>;
  /** voids an authorization before capture */
  void(request: VoidRequest, opts?: ProviderCallOptions): Promise<VoidResult>;
  refund(request: RefundRequest, opts?: ProviderCallOptions): Promise<RefundResult>;
  /** checks the signature over the raw body bytes, then parses the event; never throws for bad input */
  verifyWebhook(rawBody: Uint8Array, headers: WebhookHeaders): WebhookVerification;
}
