import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { RegionPreset } from '../region/region-presets.js';
import { withTimeout } from '../resilience/timeout.js';
import type { Metrics } from '../telemetry/metrics.js';
import { moneySchema } from './schemas.js';

export type DependencyState = 'up' | 'down' | 'disabled';

export interface ReadinessChecks {
  database: () => Promise<DependencyState>;
  cache: () => Promise<DependencyState>;
  broker: () => Promise<DependencyState>;
  /** the Kafka consumers of this instance: `down` while they are not consuming (ConsumerSupervisor) */
  consumers: () => Promise<DependencyState>;
}

/** Probes and metrics are neither rate limited nor shed under load: an overloaded pod is not a dead one. */
const PROBE_CONFIG = { rateLimit: false, pressureHandler: () => undefined } as const;

const stateSchema = z.enum(['up', 'down', 'disabled']);

/** A dependency that fails, or does not answer within `ms`, is down. */
const stateWithin = (check: () => Promise<DependencyState>, ms: number): Promise<DependencyState> =>
  withTimeout(check(), ms).catch((): DependencyState => 'down');

/** Liveness, readiness, Prometheus metrics and the region preset. */
export const opsRoutes: FastifyPluginAsyncZod<{
  checks: ReadinessChecks;
  metrics: Metrics;
  region: RegionPreset;
}> = async (app, { checks, metrics, region }) => {
  app.get(
    '/healthz',
    {
      schema: {
        tags: ['operations'],
        summary: 'Liveness',
        response: { 200: z.object({ status: z.literal('ok') }) },
      },
      config: PROBE_CONFIG,
    },
    async () => ({ status: 'ok' as const }),
  );

  const readySchema = z.object({
    status: z.enum(['ok', 'degraded', 'unavailable']),
    checks: z.object({
      database: stateSchema,
      cache: stateSchema,
      broker: stateSchema,
      consumers: stateSchema,
    }),
  });
  app.get(
    '/readyz',
    {
      schema: {
        tags: ['operations'],
        summary: 'Readiness with the state of each dependency',
        description:
          'Ready (200) while the database answers. Redis and Kafka being down, or this instance’s Kafka consumers not consuming, degrade the service (reads fall back to Postgres, events wait in the outbox or on their topic) but do not make it unready.',
        response: { 200: readySchema, 503: readySchema },
      },
      config: PROBE_CONFIG,
    },
    async (_request, reply) => {
      const [database, cache, broker, consumers] = await Promise.all([
        stateWithin(checks.database, 2000),
        stateWithin(checks.cache, 2000),
        stateWithin(checks.broker, 2500),
        stateWithin(checks.consumers, 500),
      ]);
      const status =
        database === 'down'
          ? 'unavailable'
          : cache === 'down' || broker === 'down' || consumers === 'down'
            ? 'degraded'
            : 'ok';
      return reply
        .status(database === 'down' ? 503 : 200)
        .send({ status, checks: { database, cache, broker, consumers } });
    },
  );

  app.get(
    '/metrics',
    {
      schema: {
        tags: ['operations'],
        summary: 'Prometheus metrics (text format)',
        response: {
          200: {
            description: 'Prometheus text exposition format',
            content: { 'text/plain': { schema: z.string() } },
          },
        },
      },
      config: PROBE_CONFIG,
    },
    async (_request, reply) => {
      reply.type(metrics.registry.contentType);
      return metrics.registry.metrics();
    },
  );

  app.get(
    '/api/v1/region',
    {
      schema: {
        tags: ['region'],
        summary: 'The region this deployment serves',
        response: {
          200: z.object({
            code: z.string(),
            name: z.string(),
            currency: z.string(),
            locales: z.array(z.string()),
            pricesIncludeTax: z.boolean(),
            shippingOptions: z.array(z.object({ code: z.string(), name: z.string(), price: moneySchema })),
          }),
        },
      },
    },
    async (_request, reply) => {
      reply.header('cache-control', 'public, max-age=300');
      return {
        code: region.code,
        name: region.name,
        currency: region.currency,
        locales: region.locales,
        pricesIncludeTax: region.pricesIncludeTax,
        shippingOptions: region.shippingOptions.map((o) => ({
          code: o.code,
          name: o.name,
          price: { amount: o.price, currency: region.currency },
        })),
      };
    },
  );
};
