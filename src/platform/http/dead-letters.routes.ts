import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { DeadLetters } from '../messaging/dead-letters.js';
import type { Guards } from './auth.js';
import { queryInteger } from './input.js';
import { problemResponses } from './problem.js';
import { pageSchema } from './schemas.js';

const deadLetterSchema = z
  .object({
    id: z.uuid(),
    consumerGroup: z.string().describe('the consumer that gave up on it, e.g. `fulfilment.orders`'),
    topic: z.string(),
    eventId: z.string().nullable().describe('`ce_id`'),
    eventType: z.string().nullable().describe('`ce_type`'),
    error: z.string().describe('why the last attempt failed'),
    attempts: z.number().int(),
    createdAt: z.iso.datetime(),
  })
  .meta({ id: 'DeadLetter' });

const params = z.strictObject({ id: z.uuid('must be a UUID') });
const query = z.strictObject({
  limit: queryInteger({ min: 1, max: 100 }).default(20),
  cursor: z
    .uuid('is not a cursor this API returned')
    .optional()
    .describe('`nextCursor` of the previous page'),
});

const tags = ['operations', 'admin'];
const secured = [{ bearer: [] }];

/**
 * Dead letters of embedded mode (admin): the events a consumer gave up on, and their replay once the
 * cause is fixed (docs/runbook.md § 7). With Kafka they are on `<topic>.dlq` instead and this list
 * stays empty; `npm run dlq:replay` replays those.
 */
export const deadLetterRoutes: FastifyPluginAsyncZod<{ deadLetters: DeadLetters; guards: Guards }> = async (
  app,
  { deadLetters, guards },
) => {
  const admin = guards.requireRoles('admin');
  app.get(
    '/api/v1/admin/dead-letters',
    {
      onRequest: admin,
      schema: {
        tags,
        summary: 'Events a consumer gave up on (embedded mode; admin)',
        description:
          'Newest first, keyset-paginated. Only events delivered in-process are parked here; with `KAFKA_BROKERS` set they are on `<topic>.dlq`.',
        security: secured,
        querystring: query,
        response: { 200: pageSchema(deadLetterSchema), ...problemResponses(400, 401, 403) },
      },
    },
    async (req) => {
      const page = await deadLetters.list(req.query.limit, req.query.cursor ?? null);
      return { items: page.items, nextCursor: page.next };
    },
  );

  app.post(
    '/api/v1/admin/dead-letters/:id/replay',
    {
      onRequest: admin,
      schema: {
        tags,
        summary: 'Hand a parked event to its consumer again (admin)',
        description:
          'After the cause is fixed: the consumer group that parked the event handles it again, through its inbox (a group that handled it meanwhile does nothing). 200 and the row is gone once it went through; 409 CONFLICT, the row kept with the new error, when it fails again.',
        security: secured,
        params,
        response: {
          200: z.object({ id: z.uuid(), outcome: z.enum(['processed', 'duplicate', 'skipped']) }),
          ...problemResponses(400, 401, 403, 404, 409),
        },
      },
    },
    async (req) => deadLetters.replay(req.params.id),
  );
};
