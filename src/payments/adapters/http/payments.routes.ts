import type { FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { Guards } from '../../../platform/http/auth.js';
import { problemResponses } from '../../../platform/http/problem.js';
import type { ProviderWebhookEvent } from '../../application/payment-provider.port.js';
import type { ReceiveWebhook } from '../../application/receive-webhook.use-case.js';
import type { VerifyWebhook } from '../../application/verify-webhook.use-case.js';
import { webhookAckSchema, webhookBody, webhookParams } from './payments.schemas.js';

export interface PaymentsRouteDeps {
  verifyWebhook: VerifyWebhook;
  receiveWebhook: ReceiveWebhook;
  guards: Guards;
}

/** The bytes the provider signed, and the event they verified to, per request of this plugin. */
const rawBodies = new WeakMap<FastifyRequest, Buffer>();
const verified = new WeakMap<FastifyRequest, ProviderWebhookEvent>();

/**
 * The payments routes: only the providers' webhooks (payments are opened, authorized, captured,
 * cancelled and refunded through checkout, orders and fulfilment).
 *
 * The signature covers the exact bytes sent, so this plugin — encapsulated, nothing else sees it —
 * reads JSON bodies as a Buffer (same body size limit, BODY_LIMIT_BYTES) and keeps them; the
 * signature is checked in `preValidation`, before the body is validated, so a request that is not
 * signed is 401 whatever it holds. The provider's event id is what dedupes deliveries; an
 * `Idempotency-Key` header is honoured as on every POST (docs/product/api.md), after the signature check.
 */
export const paymentsRoutes: FastifyPluginAsyncZod<PaymentsRouteDeps> = async (
  app,
  { verifyWebhook, receiveWebhook },
) => {
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'buffer' }, (request, body, done) => {
    const raw = body as Buffer;
    rawBodies.set(request, raw);
    // parsed again, by the provider, from the raw bytes once the signature holds; here only for validation
    try {
      done(null, raw.length === 0 ? undefined : JSON.parse(raw.toString('utf8')));
    } catch {
      done(null, undefined);
    }
  });

  app.post(
    '/api/v1/payments/webhooks/:provider',
    {
      preValidation: async (request) => {
        const { provider } = request.params as { provider: string };
        verified.set(
          request,
          verifyWebhook.execute(provider, rawBodies.get(request) ?? Buffer.alloc(0), request.headers),
        );
      },
      schema: {
        tags: ['payments'],
        summary: 'Receive a payment provider webhook',
        description:
          'Events a payment provider sends about payments (a capture, refund or void made on its side, or one of ours announced). For `fake`: `x-fake-signature: sha256=<hex HMAC-SHA256 of the raw body>` under `FAKE_PSP_WEBHOOK_SECRET` (docs/payments.md). For `stripe`: the `Stripe-Signature` header, checked with `STRIPE_WEBHOOK_SECRET` (tolerance 300 s). A missing or bad signature is 401 UNAUTHENTICATED; an unknown provider 404; an event received before (same event id) is 200 `duplicate` with no effect.',
        params: webhookParams,
        body: webhookBody,
        response: { 200: webhookAckSchema, ...problemResponses(401, 404) },
      },
    },
    async (request) => {
      const event = verified.get(request);
      if (!event) throw new Error('webhook reached its handler unverified');
      const outcome = await receiveWebhook.execute(request.params.provider, event);
      return { received: true as const, eventId: event.id, outcome };
    },
  );
};
