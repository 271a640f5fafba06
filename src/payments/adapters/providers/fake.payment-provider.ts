import { randomUUID } from 'node:crypto';
import {
  type AuthorizationLookup,
  type AuthorizeRequest,
  type AuthorizeResult,
  type CaptureRequest,
  type CaptureResult,
  type PaymentProvider,
  type ProviderOperation,
  ProviderUnavailableError,
  type RefundRequest,
  type RefundResult,
  type VoidRequest,
  type VoidResult,
  type WebhookHeaders,
  type WebhookVerification,
} from '../../application/payment-provider.port.js';
import {
  type FakeWebhookEvent,
  type SignedWebhook,
  signFakeWebhook,
  verifyFakeWebhook,
} from './fake-webhook.format.js';

export const FAKE_PROVIDER = 'fake';

type Behaviour = 'approve' | 'decline' | 'error' | 'slow';

/** The test tokens of docs/product/api.md ("Fake provider tokens"). Nothing else is a token of this provider. */
export const FAKE_TOKENS: Readonly<Record<string, { behaviour: Behaviour; brand?: string; last4?: string }>> =
  {
    tok_visa: { behaviour: 'approve', brand: 'visa', last4: '4242' },
    tok_mastercard: { behaviour: 'approve', brand: 'mastercard', last4: '4444' },
    tok_declined: { behaviour: 'decline' },
    tok_error: { behaviour: 'error' },
    tok_slow: { behaviour: 'slow', brand: 'visa', last4: '4242' },
  };

/** How long `tok_slow` takes to approve (docs/product/api.md: 2 s). */
export const FAKE_SLOW_MS = 2_000;

/** An authorization as the fake provider keeps it. */
export interface FakeAuthorization {
  reference: string;
  idempotencyKey: string;
  paymentId: string;
  orderId: string;
  token: string;
  brand: string;
  last4: string;
  currency: string;
  amount: number;
  status: 'authorized' | 'captured' | 'voided';
  captured: number;
  refunded: number;
  refunds: { reference: string; amount: number; merchantReference: string | null; reason: string | null }[];
  createdAt: Date;
}

/** One entry of the provider's own ledger: what it did (declines and rejections too), and through what. */
export interface FakeOperation {
  kind: 'authorize' | 'capture' | 'void' | 'refund';
  idempotencyKey: string | null;
  reference: string | null;
  amount: number;
  outcome: 'authorized' | 'declined' | 'captured' | 'voided' | 'refunded' | 'rejected';
  reason: string | null;
  /** `api`: a call of ours; `dashboard`: done on the provider's side (announced by webhook) */
  via: 'api' | 'dashboard';
  at: Date;
}

export interface FakeProviderOptions {
  /** signs and verifies webhooks (FAKE_PSP_WEBHOOK_SECRET) */
  webhookSecret: string;
  /** every call fails as unavailable (FAKE_PSP_OUTAGE); switch with setOutage */
  outage?: boolean;
  /** tok_slow's delay; default 2 s */
  slowMs?: number;
  now?: () => Date;
}

type Fault = { mode: 'unavailable' | 'lost_response'; operation: ProviderOperation | undefined };

/**
 * The built-in `fake` payment provider: a shipped adapter (embedded mode, demos, staging drills and
 * tests), not a mock. It behaves like a PSP behind a network:
 *
 * - tokens as docs/product/api.md: `tok_visa` (approve; visa 4242), `tok_mastercard` (approve; mastercard 4444),
 *   `tok_declined` (decline), `tok_error` (5xx: unavailable), `tok_slow` (approves after 2 s);
 * - **idempotency keys**: the same key again returns the first result and does nothing again (a
 *   concurrent duplicate waits for the first); the same key with other parameters is refused; a call
 *   that failed as unavailable did nothing and may be retried;
 * - provider rules: capture ≤ authorized and only once, void only before capture, refunds ≤ captured −
 *   refunded;
 * - `FAKE_PSP_OUTAGE` / `setOutage(true)`: every call fails as unavailable; `failNext` injects faults,
 *   including a lost answer (the operation happens, the caller sees a 5xx);
 * - a ledger tests can read (`operations`, `authorizationsFor`, `calls`), and a "dashboard" that acts
 *   on the provider's side and returns the signed webhook announcing it.
 *
 * State lives in this instance's memory: inject one instance into several app instances (or one app
 * restarted on the same database) to see them share one "external" provider.
 */
export class FakePaymentProvider implements PaymentProvider {
  readonly name = FAKE_PROVIDER;
  /** calls that reached the provider, by operation (also the ones it failed) */
  readonly calls: Record<ProviderOperation, number> = {
    authorize: 0,
    lookup: 0,
    capture: 0,
    void: 0,
    refund: 0,
  };
  private readonly ledger: FakeOperation[] = [];
  private readonly byReference = new Map<string, FakeAuthorization>();
  private readonly results = new Map<string, { fingerprint: string; result: Promise<unknown> }>();
  private readonly faults: Fault[] = [];
  private outageOn: boolean;
  private readonly secret: string;
  private readonly slowMs: number;
  private readonly now: () => Date;

  constructor(opts: FakeProviderOptions) {
    if (!opts.webhookSecret) throw new Error('the fake payment provider needs a webhook secret');
    this.secret = opts.webhookSecret;
    this.outageOn = opts.outage ?? false;
    this.slowMs = opts.slowMs ?? FAKE_SLOW_MS;
    this.now = opts.now ?? (() => new Date());
  }

  // ---- switches for drills and tests ---------------------------------------------------------

  get outage(): boolean {
    return this.outageOn;
  }

  /** Starts or ends an outage: while on, every call fails as unavailable and does nothing. */
  setOutage(on: boolean): void {
    this.outageOn = on;
  }

  /**
   * The next `count` calls (of `operation`, or any) fail as unavailable: `unavailable` before doing
   * anything; `lost_response` after doing it (the answer is lost, a retry with the key gets it).
   */
  failNext(count: number, mode: Fault['mode'] = 'unavailable', operation?: ProviderOperation): void {
    for (let i = 0; i < count; i++) this.faults.push({ mode, operation });
  }

  // ---- the ledger ----------------------------------------------------------------------------

  get operations(): readonly FakeOperation[] {
    return this.ledger;
  }

  /** Authorizations made for an order, a payment or an idempotency key. */
  authorizationsFor(orderIdPaymentIdOrKey: string): FakeAuthorization[] {
    return [...this.byReference.values()].filter(
      (a) =>
        a.orderId === orderIdPaymentIdOrKey ||
        a.paymentId === orderIdPaymentIdOrKey ||
        a.idempotencyKey === orderIdPaymentIdOrKey,
    );
  }

  authorization(reference: string): FakeAuthorization | undefined {
    return this.byReference.get(reference);
  }

  // ---- the port ------------------------------------------------------------------------------

  acceptsToken(token: string): boolean {
    return Object.hasOwn(FAKE_TOKENS, token);
  }

  async authorize(req: AuthorizeRequest): Promise<AuthorizeResult> {
    return this.call('authorize', req.idempotencyKey, req, () => this.doAuthorize(req));
  }

  async findAuthorization(idempotencyKey: string): Promise<AuthorizationLookup> {
    this.calls.lookup++;
    this.gate('lookup', false);
    const entry = this.results.get(`authorize:${idempotencyKey}`);
    if (!entry) return { outcome: 'none' };
    try {
      return (await entry.result) as AuthorizeResult;
    } catch {
      return { outcome: 'none' };
    }
  }

  async capture(req: CaptureRequest): Promise<CaptureResult> {
    return this.call('capture', req.idempotencyKey, req, async () => this.doCapture(req, 'api'));
  }

  async void(req: VoidRequest): Promise<VoidResult> {
    return this.call('void', req.idempotencyKey, req, async () =>
      this.doVoid(req.reference, req.idempotencyKey, 'api'),
    );
  }

  async refund(req: RefundRequest): Promise<RefundResult> {
    return this.call('refund', req.idempotencyKey, req, async () =>
      this.doRefund(req.reference, req.amount, req.reason, req.merchantReference, req.idempotencyKey, 'api'),
    );
  }

  verifyWebhook(rawBody: Uint8Array, headers: WebhookHeaders): WebhookVerification {
    return verifyFakeWebhook(this.secret, rawBody, headers);
  }

  // ---- the dashboard: done on the provider's side, announced by a signed webhook --------------

  /** Captures an authorization on the provider's side (all of it unless `amount`). */
  dashboardCapture(reference: string, amount?: number): SignedWebhook {
    const auth = this.mustFind(reference);
    const result = this.doCapture(
      {
        idempotencyKey: `dashboard:${randomUUID()}`,
        reference,
        amount: amount ?? auth.amount,
        currency: auth.currency,
      },
      'dashboard',
    );
    if (result.outcome !== 'captured') throw new Error(`fake provider: capture refused (${result.reason})`);
    return this.webhook('payment.captured', {
      reference,
      amount: result.amount,
      currency: auth.currency,
      captureReference: result.reference,
    });
  }

  /** Refunds on the provider's side (a refund from its dashboard). */
  dashboardRefund(
    reference: string,
    amount: number,
    reason = 'refunded from the provider dashboard',
  ): SignedWebhook {
    const auth = this.mustFind(reference);
    const result = this.doRefund(reference, amount, reason, null, null, 'dashboard');
    if (result.outcome !== 'refunded') throw new Error(`fake provider: refund refused (${result.reason})`);
    return this.webhook('payment.refunded', {
      reference,
      amount,
      currency: auth.currency,
      refundReference: result.reference,
      merchantReference: null,
      reason,
    });
  }

  /** Voids an authorization on the provider's side. */
  dashboardVoid(reference: string): SignedWebhook {
    const result = this.doVoid(reference, null, 'dashboard');
    if (result.outcome !== 'voided') throw new Error(`fake provider: void refused (${result.reason})`);
    return this.webhook('payment.voided', { reference });
  }

  /** The `payment.refunded` webhook the provider sends for a refund made through the API. */
  announceRefund(refundReference: string): SignedWebhook {
    for (const auth of this.byReference.values()) {
      const refund = auth.refunds.find((r) => r.reference === refundReference);
      if (refund) {
        return this.webhook('payment.refunded', {
          reference: auth.reference,
          amount: refund.amount,
          currency: auth.currency,
          refundReference,
          merchantReference: refund.merchantReference,
          reason: refund.reason,
        });
      }
    }
    throw new Error(`fake provider: no refund ${refundReference}`);
  }

  /** Signs any event as the provider would (tests and docs). */
  signWebhook(event: FakeWebhookEvent): SignedWebhook {
    return signFakeWebhook(this.secret, event);
  }

  // ---- internals -----------------------------------------------------------------------------

  private webhook(type: string, data: FakeWebhookEvent['data']): SignedWebhook {
    return this.signWebhook({ id: `evt_${randomUUID()}`, type, created: this.now().toISOString(), data });
  }

  private mustFind(reference: string): FakeAuthorization {
    const auth = this.byReference.get(reference);
    if (!auth) throw new Error(`fake provider: no authorization ${reference}`);
    return auth;
  }

  /** Outage and injected faults that strike before anything is done. */
  private gate(operation: ProviderOperation, allowLost: boolean): Fault | undefined {
    if (this.outageOn)
      throw new ProviderUnavailableError('outage', 'fake provider: outage (FAKE_PSP_OUTAGE)');
    const i = this.faults.findIndex((f) => f.operation === undefined || f.operation === operation);
    if (i < 0) return undefined;
    const fault = this.faults[i]!;
    if (fault.mode === 'lost_response' && !allowLost) return undefined;
    this.faults.splice(i, 1);
    if (fault.mode === 'unavailable')
      throw new ProviderUnavailableError('provider_error', 'fake provider: 503');
    return fault;
  }

  /** One call under its idempotency key: the first result for the key, whatever is asked again. */
  private async call<T>(
    operation: Exclude<ProviderOperation, 'lookup'>,
    key: string,
    params: object,
    work: () => Promise<T>,
  ): Promise<T> {
    this.calls[operation]++;
    const fault = this.gate(operation, true);
    const slot = `${operation}:${key}`;
    const fingerprint = JSON.stringify(params);
    let entry = this.results.get(slot);
    if (entry && entry.fingerprint !== fingerprint) {
      const reason = 'idempotency_key_reused';
      return (
        operation === 'authorize' ? { outcome: 'declined', reason } : { outcome: 'rejected', reason }
      ) as T;
    }
    if (!entry) {
      const result = work();
      entry = { fingerprint, result };
      this.results.set(slot, entry);
      // a 5xx did nothing: the key may be tried again
      result.catch(() => {
        if (this.results.get(slot)?.result === result) this.results.delete(slot);
      });
    }
    const value = (await entry.result) as T;
    if (fault) throw new ProviderUnavailableError('provider_error', 'fake provider: the answer was lost');
    return value;
  }

  private async doAuthorize(req: AuthorizeRequest): Promise<AuthorizeResult> {
    const token = FAKE_TOKENS[req.token];
    const declined = (reason: string): AuthorizeResult => {
      this.note('authorize', req.idempotencyKey, null, req.amount, 'declined', reason, 'api');
      return { outcome: 'declined', reason };
    };
    if (!token) return declined('invalid_token');
    if (token.behaviour === 'error')
      throw new ProviderUnavailableError('provider_error', 'fake provider: 500');
    if (token.behaviour === 'decline') return declined('card_declined');
    if (!Number.isSafeInteger(req.amount) || req.amount <= 0) return declined('invalid_amount');
    if (token.behaviour === 'slow') await new Promise((resolve) => setTimeout(resolve, this.slowMs));
    const auth: FakeAuthorization = {
      reference: `fake_auth_${randomUUID()}`,
      idempotencyKey: req.idempotencyKey,
      paymentId: req.paymentId,
      orderId: req.orderId,
      token: req.token,
      brand: token.brand!,
      last4: token.last4!,
      currency: req.currency,
      amount: req.amount,
      status: 'authorized',
      captured: 0,
      refunded: 0,
      refunds: [],
      createdAt: this.now(),
    };
    this.byReference.set(auth.reference, auth);
    this.note('authorize', req.idempotencyKey, auth.reference, req.amount, 'authorized', null, 'api');
    return {
      outcome: 'authorized',
      reference: auth.reference,
      amount: auth.amount,
      brand: auth.brand,
      last4: auth.last4,
    };
  }

  private doCapture(req: CaptureRequest, via: FakeOperation['via']): CaptureResult {
    const auth = this.byReference.get(req.reference);
    const rejected = (reason: string): CaptureResult => {
      this.note('capture', req.idempotencyKey, req.reference, req.amount, 'rejected', reason, via);
      return { outcome: 'rejected', reason };
    };
    if (!auth) return rejected('unknown_authorization');
    if (auth.status === 'voided') return rejected('authorization_voided');
    if (auth.status === 'captured') return rejected('already_captured');
    if (!Number.isSafeInteger(req.amount) || req.amount <= 0 || req.amount > auth.amount) {
      return rejected('amount_exceeds_authorized');
    }
    auth.status = 'captured';
    auth.captured = req.amount;
    const reference = `fake_cap_${randomUUID()}`;
    this.note('capture', req.idempotencyKey, reference, req.amount, 'captured', null, via);
    return { outcome: 'captured', reference, amount: req.amount };
  }

  private doVoid(reference: string, key: string | null, via: FakeOperation['via']): VoidResult {
    const auth = this.byReference.get(reference);
    const rejected = (reason: string): VoidResult => {
      this.note('void', key, reference, 0, 'rejected', reason, via);
      return { outcome: 'rejected', reason };
    };
    if (!auth) return rejected('unknown_authorization');
    if (auth.status === 'captured') return rejected('already_captured');
    if (auth.status === 'authorized') {
      auth.status = 'voided';
      this.note('void', key, reference, auth.amount, 'voided', null, via);
    }
    return { outcome: 'voided', reference: `fake_void_${auth.reference.slice('fake_auth_'.length)}` };
  }

  private doRefund(
    reference: string,
    amount: number,
    reason: string | null,
    merchantReference: string | null,
    key: string | null,
    via: FakeOperation['via'],
  ): RefundResult {
    const auth = this.byReference.get(reference);
    const rejected = (why: string): RefundResult => {
      this.note('refund', key, reference, amount, 'rejected', why, via);
      return { outcome: 'rejected', reason: why };
    };
    if (!auth) return rejected('unknown_authorization');
    if (auth.status !== 'captured') return rejected('not_captured');
    if (!Number.isSafeInteger(amount) || amount <= 0 || amount > auth.captured - auth.refunded) {
      return rejected('amount_exceeds_refundable');
    }
    auth.refunded += amount;
    const refundRef = `fake_re_${randomUUID()}`;
    auth.refunds.push({ reference: refundRef, amount, merchantReference, reason });
    this.note('refund', key, refundRef, amount, 'refunded', reason, via);
    return { outcome: 'refunded', reference: refundRef, amount };
  }

  private note(
    kind: FakeOperation['kind'],
    idempotencyKey: string | null,
    reference: string | null,
    amount: number,
    outcome: FakeOperation['outcome'],
    reason: string | null,
    via: FakeOperation['via'],
  ): void {
    this.ledger.push({ kind, idempotencyKey, reference, amount, outcome, reason, via, at: this.now() });
  }
}
