import { z } from 'zod';
import { text } from '../../../platform/http/input.js';

import { fakeWebhookEventSchema } from '../providers/fake-webhook.format.js';

/**
 * A Stripe event (https://docs.stripe.com/api/events/object), as far as the route reads it: the
 * adapter parses the rest from the raw bytes once `Stripe-Signature` held.
 */
export const stripeWebhookEventSchema = z
  .looseObject({
    id: text({ max: 255, pattern: /^evt_[A-Za-z0-9_]+$/, patternMessage: 'must be an event id (evt_…)' }),
    object: z.literal('event'),
    type: text({
      max: 100,
      pattern: /^[a-z0-9_]+(\.[a-z0-9_]+)+$/,
      patternMessage: 'must be a Stripe event type (payment_intent.succeeded, …)',
    }),
    created: z.number().int(),
    data: z.looseObject({ object: z.looseObject({}) }),
  })
  .meta({
    id: 'StripeWebhookEvent',
    description: 'An event Stripe sends (PAYMENT_PROVIDER=stripe), signed with `Stripe-Signature`.',
  });

/** The body of `POST /api/v1/payments/webhooks/:provider`: an event of the fake provider or of Stripe. */
export const webhookBody = z.union([fakeWebhookEventSchema, stripeWebhookEventSchema]);

export const webhookParams = z.object({
  provider: text({
    max: 32,
    pattern: /^[a-z][a-z0-9-]{0,31}$/,
    patternMessage: 'must be a payment provider name',
  }).describe('the payment provider: `fake` or `stripe`'),
});

export const webhookAckSchema = z
  .object({
    received: z.literal(true),
    eventId: z.string(),
    outcome: z
      .enum(['applied', 'duplicate', 'ignored'])
      .describe(
        '`applied`: the payment was reconciled; `duplicate`: this event was received before, no effect; `ignored`: nothing to do (a type not acted on, an unknown payment, or news that changes nothing)',
      ),
  })
  .meta({ id: 'PaymentWebhookAck' });
