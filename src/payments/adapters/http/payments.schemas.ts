import { z } from 'zod';
import { text } from '../../../platform/http/input.js';

export { fakeWebhookEventSchema as webhookBody } from '../providers/fake-webhook.format.js';

export const webhookParams = z.object({
  provider: text({
    max: 32,
    pattern: /^[a-z][a-z0-9-]{0,31}$/,
    patternMessage: 'must be a payment provider name',
  }).describe('the payment provider: `fake`'),
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
