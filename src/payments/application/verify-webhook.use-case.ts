import { NotFoundError, UnauthenticatedError, ValidationError } from '../../platform/errors.js';
import type { ProviderWebhookEvent, WebhookHeaders } from './payment-provider.port.js';
import type { PaymentsDeps } from './payments.deps.js';

/**
 * The first step of a provider's webhook (`POST /api/v1/payments/webhooks/:provider`), before anything
 * is read: the provider's signature over the raw body bytes — unknown provider 404, missing or bad
 * signature 401 UNAUTHENTICATED, a signed body that is not an event 400. The event it verified to is
 * then applied by ReceiveWebhook.
 */
export class VerifyWebhook {
  constructor(private readonly deps: PaymentsDeps) {}

  execute(providerName: string, rawBody: Uint8Array, headers: WebhookHeaders): ProviderWebhookEvent {
    const provider = this.deps.providers.get(providerName);
    if (!provider) throw new NotFoundError(`Payment provider ${providerName}`);
    const verified = provider.verifyWebhook(rawBody, headers);
    if (verified.ok) return verified.event;
    this.deps.metrics.webhook(
      providerName,
      verified.failure === 'malformed' ? 'malformed' : 'unauthenticated',
    );
    if (verified.failure === 'malformed') {
      throw new ValidationError('The webhook is not an event of this provider', [
        { path: '(body)', message: verified.detail },
      ]);
    }
    this.deps.logger.warn({ provider: providerName, failure: verified.failure }, 'payment webhook refused');
    throw new UnauthenticatedError('The webhook signature is missing or invalid');
  }
}
