import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import Stripe from 'stripe';
import { type StripeContract, stripeContract } from './stripe-openapi.js';

/**
 * An emulator of the slice of Stripe's API v1 the `stripe` payment provider uses (ADR 0029), on
 * node:http, as the real API behaves: form-encoded bodies, `Authorization: Bearer <secret key>`,
 * idempotency keys (the same key replays the first answer with `Idempotent-Replayed: true`; the same
 * key with another body is 400 `idempotency_error`), and errors in Stripe's shape.
 *
 * PaymentMethods (Stripe's test ids): `pm_card_visa` (and `pm_card_mastercard`) approve
 * (`requires_capture`), `pm_card_chargeDeclined` declines (402 `card_error` `card_declined`),
 * `pm_card_threeDSecure2Required` / `pm_card_authenticationRequired` need the customer
 * (`requires_action`, `next_action.use_stripe_sdk`, a `client_secret`) until {@link completeAction}.
 *
 * Switches: {@link failNext} (5xx or 429 before doing anything), {@link slowMs} (the answer comes late:
 * the operation is done, its answer lost to a client that gave up), {@link outage} (every request 503).
 * Every request is recorded ({@link requests}); every request body and every answer is checked
 * against Stripe's published OpenAPI document (test/fixtures/stripe/openapi.slice.json): a request
 * that does not fit is answered 400 and kept in {@link violations}, which the tests assert empty.
 */

export interface RecordedRequest {
  method: string;
  path: string;
  idempotencyKey: string | null;
  body: Record<string, unknown>;
  status: number;
  replayed: boolean;
}

type Json = Record<string, unknown>;

interface StoredAnswer {
  fingerprint: string;
  status: number;
  body: Json;
}

export interface StripeEmulatorOptions {
  secretKey: string;
  webhookSecret: string;
  /** checks requests and answers against the OpenAPI slice (default: on) */
  validate?: boolean;
}

const APPROVE = new Set(['pm_card_visa', 'pm_card_mastercard', 'pm_card_visa_debit']);
const DECLINE = new Set(['pm_card_chargeDeclined', 'pm_card_visa_chargeDeclined']);
const NEEDS_ACTION = new Set(['pm_card_threeDSecure2Required', 'pm_card_authenticationRequired']);
/** the cards behind Stripe's test PaymentMethods (https://docs.stripe.com/testing) */
const CARDS: Record<string, { brand: string; last4: string }> = {
  pm_card_visa: { brand: 'visa', last4: '4242' },
  pm_card_mastercard: { brand: 'mastercard', last4: '4444' },
  pm_card_visa_debit: { brand: 'visa', last4: '5556' },
  pm_card_chargeDeclined: { brand: 'visa', last4: '0002' },
  pm_card_visa_chargeDeclined: { brand: 'visa', last4: '0002' },
  pm_card_threeDSecure2Required: { brand: 'visa', last4: '3220' },
  pm_card_authenticationRequired: { brand: 'visa', last4: '3184' },
};

/** The PaymentMethod object of a test id, as `expand[]=payment_method` answers it. */
const paymentMethodObject = (id: string): Json => {
  const card = CARDS[id] ?? { brand: 'visa', last4: '4242' };
  return {
    id,
    object: 'payment_method',
    billing_details: { address: null, email: null, name: null, phone: null },
    card: {
      brand: card.brand,
      checks: null,
      country: 'US',
      exp_month: 12,
      exp_year: 2034,
      fingerprint: null,
      funding: 'credit',
      last4: card.last4,
      networks: null,
      three_d_secure_usage: null,
      wallet: null,
    },
    created: 1_700_000_000,
    customer: null,
    livemode: false,
    metadata: {},
    type: 'card',
  };
};

/** An intent as an answer: its PaymentMethod expanded when the request asked for it. */
const expanded = (intent: Json, expand: unknown): Json => {
  const copy = structuredClone(intent);
  const fields = Array.isArray(expand) ? expand.map(String) : [];
  if (
    (fields.includes('payment_method') || fields.includes('data.payment_method')) &&
    typeof copy.payment_method === 'string'
  ) {
    copy.payment_method = paymentMethodObject(copy.payment_method);
  }
  return copy;
};

const now = () => Math.floor(Date.now() / 1000);
const newId = (prefix: string) => `${prefix}_${randomBytes(12).toString('hex')}`;

/** `a[b][c]=v&list[0]=x` → `{a:{b:{c:'v'}}, list:['x']}` (Stripe's form encoding, as the SDK writes it). */
export const parseForm = (body: string): Json => {
  const out: Json = {};
  for (const [rawKey, value] of new URLSearchParams(body)) {
    const parts = rawKey.split(/\[|\]\[|\]/).filter((p) => p !== '');
    let node: Record<string, unknown> = out;
    parts.forEach((part, i) => {
      const last = i === parts.length - 1;
      const next = parts[i + 1];
      if (last) {
        node[part] = value;
        return;
      }
      if (node[part] === undefined) node[part] = next !== undefined && /^\d+$/.test(next) ? [] : {};
      node = node[part] as Record<string, unknown>;
    });
  }
  return out;
};

const stripeError = (
  status: number,
  error: { type: string; code?: string; decline_code?: string; message: string; payment_intent?: Json },
): { status: number; body: Json } => ({ status, body: { error } });

export class StripeEmulator {
  readonly requests: RecordedRequest[] = [];
  /** requests or answers that do not fit Stripe's OpenAPI document */
  readonly violations: string[] = [];
  readonly intents = new Map<string, Json>();
  readonly refunds = new Map<string, Json>();
  outage = false;
  /** how late every answer comes (ms) */
  slowMs = 0;
  /**
   * Runs once the request was handled and before its answer leaves (a test delivers a webhook that
   * overtakes the answer, as Stripe's may); the answer waits for it.
   */
  beforeAnswer: ((request: RecordedRequest, body: Json) => Promise<void>) | null = null;
  private faults: number[] = [];
  private readonly answers = new Map<string, StoredAnswer>();
  private server: Server | null = null;
  private baseUrl = '';
  private readonly contract: StripeContract | null;

  constructor(private readonly opts: StripeEmulatorOptions) {
    this.contract = opts.validate === false ? null : stripeContract();
  }

  get url(): string {
    return this.baseUrl;
  }

  async start(): Promise<string> {
    this.server = createServer((req, res) => {
      void this.handle(req, res);
    });
    await new Promise<void>((resolve) => this.server?.listen(0, '127.0.0.1', resolve));
    const { port } = this.server.address() as AddressInfo;
    this.baseUrl = `http://127.0.0.1:${port}`;
    return this.baseUrl;
  }

  async close(): Promise<void> {
    const server = this.server;
    if (!server) return;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  /** The next `count` requests fail before doing anything: 500 api_error (or 429 rate_limit). */
  failNext(count: number, status: 500 | 503 | 429 = 500): void {
    for (let i = 0; i < count; i++) this.faults.push(status);
  }

  /** Requests of `method path` (the path without its query), e.g. count of PaymentIntents created. */
  calls(method: string, path: string | RegExp): RecordedRequest[] {
    return this.requests.filter(
      (r) => r.method === method && (typeof path === 'string' ? r.path === path : path.test(r.path)),
    );
  }

  /** PaymentIntents created (each one once, whatever the retries). */
  createdIntents(): Json[] {
    return [...this.intents.values()];
  }

  /** The customer answered 3-D Secure (or failed it): the intent moves on, as Stripe.js would make it. */
  completeAction(intentId: string, succeeded = true): Json {
    const intent = this.intents.get(intentId);
    if (intent?.status !== 'requires_action') throw new Error(`no intent ${intentId} waits for an action`);
    intent.next_action = null;
    if (succeeded) {
      intent.status = 'requires_capture';
      intent.amount_capturable = intent.amount;
      intent.latest_charge = newId('ch');
    } else {
      intent.status = 'requires_payment_method';
      intent.last_payment_error = {
        type: 'card_error',
        code: 'payment_intent_authentication_failure',
        message: 'The provided PaymentMethod has failed authentication.',
      };
    }
    return structuredClone(intent);
  }

  /** An event as Stripe would sign and send it: the body and its `Stripe-Signature` header. */
  signedEvent(
    type: string,
    object: Json,
    opts: { id?: string; secret?: string; timestamp?: number } = {},
  ): { id: string; body: string; headers: Record<string, string> } {
    const id = opts.id ?? newId('evt');
    const body = JSON.stringify({
      id,
      object: 'event',
      api_version: Stripe.API_VERSION,
      created: now(),
      data: { object },
      livemode: false,
      pending_webhooks: 1,
      request: { id: null, idempotency_key: null },
      type,
    });
    const signature = Stripe.webhooks.generateTestHeaderString({
      payload: body,
      secret: opts.secret ?? this.opts.webhookSecret,
      ...(opts.timestamp !== undefined ? { timestamp: opts.timestamp } : {}),
    });
    return { id, body, headers: { 'content-type': 'application/json', 'stripe-signature': signature } };
  }

  /** Posts a signed event to the app's webhook endpoint (an HTTP URL); returns its status. */
  async deliver(endpoint: string, type: string, object: Json): Promise<number> {
    const event = this.signedEvent(type, object);
    const r = await fetch(endpoint, { method: 'POST', body: event.body, headers: event.headers });
    return r.status;
  }

  // ---- the API --------------------------------------------------------------------------------

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const raw = Buffer.concat(chunks).toString('utf8');
    const url = new URL(req.url ?? '/', 'http://emulator');
    const method = req.method ?? 'GET';
    const path = url.pathname;
    const keyHeader = req.headers['idempotency-key'];
    const idempotencyKey = typeof keyHeader === 'string' ? keyHeader : null;
    const body = parseForm(method === 'GET' ? url.search.slice(1) : raw);
    const record: RecordedRequest = { method, path, idempotencyKey, body, status: 0, replayed: false };
    this.requests.push(record);

    const send = async (status: number, payload: Json, replayed = false) => {
      record.status = status;
      record.replayed = replayed;
      this.checkAnswer(method, path, status, payload);
      if (this.beforeAnswer) await this.beforeAnswer(record, payload);
      if (this.slowMs > 0) await new Promise((r) => setTimeout(r, this.slowMs));
      if (res.destroyed) return;
      res.writeHead(status, {
        'content-type': 'application/json',
        'request-id': newId('req'),
        ...(idempotencyKey ? { 'idempotency-key': idempotencyKey } : {}),
        ...(replayed ? { 'idempotent-replayed': 'true' } : {}),
      });
      res.end(JSON.stringify(payload));
    };

    if (req.headers.authorization !== `Bearer ${this.opts.secretKey}`) {
      const e = stripeError(401, { type: 'invalid_request_error', message: 'Invalid API Key provided.' });
      return send(e.status, e.body);
    }
    if (this.outage) {
      const e = stripeError(503, { type: 'api_error', message: 'Stripe is unavailable (emulated outage).' });
      return send(e.status, e.body);
    }
    const fault = this.faults.shift();
    if (fault !== undefined) {
      const e =
        fault === 429
          ? stripeError(429, {
              type: 'invalid_request_error',
              code: 'rate_limit',
              message: 'Too many requests.',
            })
          : stripeError(fault, {
              type: 'api_error',
              message: 'An error occurred with our connection to Stripe.',
            });
      return send(e.status, e.body);
    }
    const violation = this.checkRequest(method, path, body);
    if (violation) {
      this.violations.push(violation);
      const e = stripeError(400, { type: 'invalid_request_error', message: violation });
      return send(e.status, e.body);
    }
    const fingerprint = `${method} ${path} ${raw}`;
    if (idempotencyKey && method === 'POST') {
      const stored = this.answers.get(idempotencyKey);
      if (stored) {
        if (stored.fingerprint !== fingerprint) {
          const e = stripeError(400, {
            type: 'idempotency_error',
            message:
              'Keys for idempotent requests can only be used with the same parameters they were first used with.',
          });
          return send(e.status, e.body);
        }
        return send(stored.status, structuredClone(stored.body), true);
      }
    }
    const answer = this.route(method, path, body);
    if (idempotencyKey && method === 'POST' && answer.status < 500) {
      this.answers.set(idempotencyKey, {
        fingerprint,
        status: answer.status,
        body: structuredClone(answer.body),
      });
    }
    return send(answer.status, answer.body);
  }

  private route(method: string, path: string, body: Json): { status: number; body: Json } {
    if (method === 'POST' && path === '/v1/payment_intents') return this.createIntent(body);
    if (method === 'GET' && path === '/v1/payment_intents/search')
      return this.search(String(body.query ?? ''), body.expand);
    if (method === 'POST' && path === '/v1/refunds') return this.refund(body);
    const m = /^\/v1\/payment_intents\/([^/]+)(?:\/(capture|cancel))?$/.exec(path);
    if (m) {
      const intent = this.intents.get(m[1] ?? '');
      if (!intent) {
        return stripeError(404, {
          type: 'invalid_request_error',
          code: 'resource_missing',
          message: `No such payment_intent: '${m[1]}'`,
        });
      }
      if (method === 'GET' && !m[2]) return { status: 200, body: expanded(intent, body.expand) };
      if (method === 'POST' && m[2] === 'capture') return this.capture(intent, body);
      if (method === 'POST' && m[2] === 'cancel') return this.cancel(intent);
    }
    return stripeError(404, {
      type: 'invalid_request_error',
      message: `Unrecognized request URL (${method}: ${path})`,
    });
  }

  private createIntent(body: Json): { status: number; body: Json } {
    const pm = String(body.payment_method ?? '');
    const amount = Number(body.amount);
    const known = APPROVE.has(pm) || DECLINE.has(pm) || NEEDS_ACTION.has(pm);
    if (!known) {
      return stripeError(400, {
        type: 'invalid_request_error',
        code: 'resource_missing',
        message: `No such PaymentMethod: '${pm}'`,
      });
    }
    const id = newId('pi');
    const intent: Json = {
      id,
      object: 'payment_intent',
      amount,
      amount_capturable: 0,
      amount_received: 0,
      capture_method: body.capture_method ?? 'automatic',
      client_secret: `${id}_secret_${randomBytes(8).toString('hex')}`,
      confirmation_method: 'automatic',
      created: now(),
      currency: body.currency,
      last_payment_error: null,
      latest_charge: null,
      livemode: false,
      metadata: body.metadata ?? {},
      next_action: null,
      payment_method: pm,
      payment_method_types: ['card'],
      status: 'requires_confirmation',
      canceled_at: null,
      cancellation_reason: null,
    };
    this.intents.set(id, intent);
    if (body.confirm !== 'true') return { status: 200, body: expanded(intent, body.expand) };
    if (DECLINE.has(pm)) {
      intent.status = 'requires_payment_method';
      intent.latest_charge = newId('ch');
      intent.last_payment_error = {
        type: 'card_error',
        code: 'card_declined',
        decline_code: 'generic_decline',
        message: 'Your card was declined.',
      };
      return stripeError(402, {
        type: 'card_error',
        code: 'card_declined',
        decline_code: 'generic_decline',
        message: 'Your card was declined.',
        payment_intent: expanded(intent, body.expand),
      });
    }
    if (NEEDS_ACTION.has(pm)) {
      intent.status = 'requires_action';
      intent.next_action = {
        type: 'use_stripe_sdk',
        use_stripe_sdk: {
          type: 'three_d_secure_redirect',
          stripe_js: 'https://hooks.stripe.com/3d_secure_2/authenticate',
        },
      };
      return { status: 200, body: expanded(intent, body.expand) };
    }
    intent.status = body.capture_method === 'manual' ? 'requires_capture' : 'succeeded';
    intent.latest_charge = newId('ch');
    if (intent.status === 'requires_capture') intent.amount_capturable = amount;
    else intent.amount_received = amount;
    return { status: 200, body: expanded(intent, body.expand) };
  }

  private capture(intent: Json, body: Json): { status: number; body: Json } {
    if (intent.status !== 'requires_capture') {
      return stripeError(400, {
        type: 'invalid_request_error',
        code: 'payment_intent_unexpected_state',
        message: `This PaymentIntent could not be captured because it has a status of ${intent.status}.`,
        payment_intent: structuredClone(intent),
      });
    }
    const amount =
      body.amount_to_capture === undefined
        ? Number(intent.amount_capturable)
        : Number(body.amount_to_capture);
    if (amount > Number(intent.amount_capturable)) {
      return stripeError(400, {
        type: 'invalid_request_error',
        code: 'amount_too_large',
        message: 'The amount to capture exceeds the capturable amount.',
      });
    }
    intent.status = 'succeeded';
    intent.amount_received = amount;
    intent.amount_capturable = 0;
    return { status: 200, body: structuredClone(intent) };
  }

  private cancel(intent: Json): { status: number; body: Json } {
    const cancelable = [
      'requires_payment_method',
      'requires_capture',
      'requires_confirmation',
      'requires_action',
    ];
    if (!cancelable.includes(String(intent.status))) {
      return stripeError(400, {
        type: 'invalid_request_error',
        code: 'payment_intent_unexpected_state',
        message: `You cannot cancel this PaymentIntent because it has a status of ${intent.status}.`,
        payment_intent: structuredClone(intent),
      });
    }
    intent.status = 'canceled';
    intent.amount_capturable = 0;
    intent.next_action = null;
    intent.canceled_at = now();
    intent.cancellation_reason = 'requested_by_customer';
    return { status: 200, body: structuredClone(intent) };
  }

  private refund(body: Json): { status: number; body: Json } {
    const intent = this.intents.get(String(body.payment_intent ?? ''));
    if (!intent) {
      return stripeError(400, {
        type: 'invalid_request_error',
        code: 'resource_missing',
        message: `No such payment_intent: '${body.payment_intent}'`,
      });
    }
    const refunded = [...this.refunds.values()]
      .filter((r) => r.payment_intent === intent.id)
      .reduce((sum, r) => sum + Number(r.amount), 0);
    const remaining = Number(intent.amount_received) - refunded;
    const amount = body.amount === undefined ? remaining : Number(body.amount);
    if (intent.status !== 'succeeded' || amount <= 0 || amount > remaining) {
      return stripeError(400, {
        type: 'invalid_request_error',
        code:
          intent.status !== 'succeeded'
            ? 'charge_not_captured'
            : remaining === 0
              ? 'charge_already_refunded'
              : 'amount_too_large',
        message: `Refund of ${amount} is not possible: ${remaining} remains of the charge.`,
      });
    }
    const refund: Json = {
      id: newId('re'),
      object: 'refund',
      amount,
      charge: intent.latest_charge,
      created: now(),
      currency: intent.currency,
      metadata: body.metadata ?? {},
      payment_intent: intent.id,
      reason: body.reason ?? null,
      status: 'succeeded',
    };
    this.refunds.set(String(refund.id), refund);
    return { status: 200, body: structuredClone(refund) };
  }

  private search(query: string, expand: unknown): { status: number; body: Json } {
    const m = /^metadata\['([^']+)'\]:'([^']*)'$/.exec(query.trim());
    const data = m
      ? [...this.intents.values()].filter(
          (i) => (i.metadata as Record<string, string>)?.[m[1] ?? ''] === m[2],
        )
      : [];
    return {
      status: 200,
      body: {
        object: 'search_result',
        data: data.map((i) => expanded(i, expand)),
        has_more: false,
        next_page: null,
        url: '/v1/payment_intents/search',
      },
    };
  }

  // ---- the OpenAPI document ---------------------------------------------------------------------

  private checkRequest(method: string, path: string, body: Json): string | null {
    if (!this.contract) return null;
    return this.contract.checkRequest(method, path, body);
  }

  private checkAnswer(method: string, path: string, status: number, body: Json): void {
    if (!this.contract) return;
    const problem = this.contract.checkResponse(method, path, status, body);
    if (problem) this.violations.push(problem);
  }
}
