import cors from '@fastify/cors';
import rateLimit from '@fastify/rate-limit';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import underPressure from '@fastify/under-pressure';
import Fastify, {
  type FastifyBaseLogger,
  type FastifyInstance,
  type FastifyReply,
  type FastifyRequest,
  LogController,
} from 'fastify';
import { serializerCompiler, validatorCompiler, type ZodTypeProvider } from 'fastify-type-provider-zod';
import { type ContextOverrides, type Contexts, composeContexts } from './contexts.js';
import { RedisCache } from './platform/cache/redis-cache.js';
import { UnavailableError } from './platform/errors.js';
import { createGuards } from './platform/http/auth.js';
import { deadLetterRoutes } from './platform/http/dead-letters.routes.js';
import { installErrorHandling } from './platform/http/error-handler.js';
import { fallbackRateLimitStore } from './platform/http/fallback-rate-limit-store.js';
import { idempotencyPlugin } from './platform/http/idempotency.plugin.js';
import { installJsonBodyParser } from './platform/http/json-body.js';
import { noStorePlugin } from './platform/http/no-store.plugin.js';
import { openApiTransform, openApiTransformObject } from './platform/http/openapi.js';
import { type DependencyState, opsRoutes } from './platform/http/ops.routes.js';
import { problem } from './platform/http/problem.js';
import { genRequestId, requestContextPlugin } from './platform/http/request-context.plugin.js';
import { requestTransactionPlugin } from './platform/http/request-transaction.plugin.js';
import { securityHeadersPlugin } from './platform/http/security-headers.plugin.js';
import { parseQueryString, refuseMalformedQueries } from './platform/http/text-encoding.js';
import type { EventHandlerRegistration } from './platform/messaging/consumer.js';
import { DeadLetters } from './platform/messaging/dead-letters.js';
import { mountContexts } from './platform/module/context-module.js';
import type { Platform } from './platform/platform.js';

/**
 * The "incoming request" line is written by requestContextPlugin, inside the request's log context.
 * Every other per-request line of Fastify's logs the request through the logger's `req` serializer
 * (method, route, redacted URL: platform/logging/access-log.ts); Fastify's own "Route … not found"
 * would put the raw URL in the message, so it is replaced.
 */
class RequestLogController extends LogController {
  override incomingRequest(): void {}
  override routeNotFound(request: FastifyRequest): void {
    if (!this.isLogDisabled(request)) request.log.info({ req: request }, 'route not found');
  }
}

export interface BuiltApp {
  app: FastifyInstance;
  /** event handlers the contexts subscribe; the runtime hands them to the consumer runner or in-process bus */
  registrations: EventHandlerRegistration[];
  /** the context modules (src/contexts.ts), for the runtime's lifecycle and composition beyond HTTP (demo-data seeding) */
  modules: Contexts;
}

/**
 * Builds the Fastify instance: platform plugins (request context, security headers, CORS, rate limits,
 * load shedding, OpenAPI), operations routes, and the contexts of src/contexts.ts — each initialised
 * and its routes mounted as one encapsulated plugin. It does not listen and starts no background
 * loops: main.ts and the runtime do.
 */
export const buildApp = async (platform: Platform, overrides: ContextOverrides = {}): Promise<BuiltApp> => {
  const { config, logger, metrics } = platform;
  const logRequests = config.LOG_LEVEL === 'debug' || config.LOG_LEVEL === 'trace';
  const app = Fastify({
    loggerInstance: logger as FastifyBaseLogger,
    genReqId: genRequestId,
    requestIdHeader: false,
    // per-request access lines only at debug; errors are logged by the error handler
    logController: new RequestLogController({ disableRequestLogging: !logRequests }),
    // request ids come from the request context (pino mixin), not a child binding
    childLoggerFactory: (parent, _bindings, opts) => parent.child({}, opts),
    bodyLimit: config.BODY_LIMIT_BYTES,
    // X-Forwarded-For is believed only as far as TRUST_PROXY says (it decides the rate-limit key)
    trustProxy:
      typeof config.TRUST_PROXY === 'number'
        ? (_address: string, hop: number) => hop < (config.TRUST_PROXY as number)
        : config.TRUST_PROXY,
    // requests that arrive while the process shuts down get a problem+json 503 (below), not Fastify's own
    return503OnClosing: false,
    forceCloseConnections: 'idle',
    // query strings decoded strictly: a malformed %-escape or bytes that are not UTF-8 are refused
    // with 400 on every route (refuseMalformedQueries below), not passed on raw
    routerOptions: { ignoreTrailingSlash: true, maxParamLength: 200, querystringParser: parseQueryString },
    // URLs Fastify cannot even route (bad percent-encoding) still get the problem+json contract
    frameworkErrors: (_err, request, reply: FastifyReply) => {
      void reply
        .header('x-request-id', request.id)
        .header('x-content-type-options', 'nosniff')
        .code(400)
        .type('application/problem+json; charset=utf-8')
        .send(problem(400, 'VALIDATION_FAILED', 'The request URL is malformed', String(request.id)));
    },
  }).withTypeProvider<ZodTypeProvider>();
  // JSON only: a text/plain body on a JSON route is 415, not a string handed to validation
  app.removeContentTypeParser('text/plain');
  // an empty JSON body is no body where the route takes none (POST /carts, logout, DELETEs)
  installJsonBodyParser(app);

  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  installErrorHandling(app);
  // shutting down: new requests (on kept-alive connections) are refused with 503 UNAVAILABLE +
  // Retry-After and the connection is closed; requests already in flight finish
  let closing = false;
  app.addHook('preClose', async () => {
    closing = true;
    // The server closes the sockets that are idle when it closes, not those that become idle later:
    // a kept-alive connection whose request was in flight would hold it open for the whole keep-alive
    // timeout (72 s), past SHUTDOWN_TIMEOUT_MS. Close them as they fall idle; a request already sent
    // on one (pipelined) is still answered, with the 503 below.
    const idle = setInterval(() => app.server.closeIdleConnections(), 100);
    idle.unref();
    app.server.once('close', () => clearInterval(idle));
  });
  app.addHook('onRequest', async (_request, reply) => {
    if (!closing) return;
    reply.header('connection', 'close').header('retry-after', '1');
    throw new UnavailableError('The server is shutting down; retry on another instance');
  });

  app.decorateRequest('principal', null);

  await app.register(requestContextPlugin, { metrics, logRequests });
  // after the request context (the 400 carries x-request-id), before anything reads the query
  refuseMalformedQueries(app);
  // responses with tokens or personal data are never cached, errors included
  await app.register(noStorePlugin, {
    prefixes: ['/api/v1/auth', '/api/v1/me', '/api/v1/carts', '/api/v1/orders', '/api/v1/admin'],
  });
  await app.register(securityHeadersPlugin, {
    contentSecurityPolicy: false,
    crossOriginResourcePolicy: { policy: 'cross-origin' },
  });
  await app.register(cors, {
    origin: config.CORS_ORIGINS.length > 0 ? config.CORS_ORIGINS : false,
    credentials: false,
    exposedHeaders: ['x-request-id', 'etag', 'retry-after'],
  });
  await app.register(underPressure, {
    maxEventLoopDelay: 1000,
    retryAfter: 5,
    exposeStatusRoute: false,
    // the error handler answers 503 UNAVAILABLE; ops.routes.ts lets the probes through
    pressureHandler: async (_request, reply) => {
      reply.header('retry-after', '5');
      throw new UnavailableError('The server is overloaded; retry shortly');
    },
  });
  await app.register(rateLimit, {
    global: true,
    max: config.RATE_LIMIT_PER_MINUTE,
    timeWindow: 60_000,
    // Redis-backed, one budget per client across the region; per instance while Redis is away
    ...(platform.cache instanceof RedisCache
      ? {
          store: fallbackRateLimitStore(platform.cache.client, 'shopcore:rl', () =>
            metrics.rateLimitFallbacks.inc(),
          ),
        }
      : {}),
    skipOnError: true,
    errorResponseBuilder: (request, ctx) => ({
      ...problem(
        429,
        'RATE_LIMITED',
        `Too many requests; retry in ${Math.ceil(ctx.ttl / 1000)} s`,
        String(request.id),
      ),
      statusCode: 429,
    }),
  });

  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'shopcore API',
        version: '1.0.0',
        description: `Headless e-commerce backend, region ${platform.region.code}. Errors are RFC 9457 problem+json with a stable \`code\`.`,
      },
      components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' } } },
    },
    // the routes' zod schemas, plus the statuses, headers and problem+json the platform adds
    transform: openApiTransform,
    transformObject: openApiTransformObject,
  });
  await app.register(swaggerUi, { routePrefix: '/docs', staticCSP: true });
  app.get('/docs/openapi.json', { schema: { hide: true }, config: { rateLimit: false } }, async () =>
    app.swagger(),
  );

  const modules = composeContexts(platform, overrides);
  // per-IP limits run for every request (above); authenticated callers also get a budget of their own
  const userLimiter = app.createRateLimit({
    max: config.USER_RATE_LIMIT_PER_MINUTE,
    timeWindow: 60_000,
    keyGenerator: (request) => `user:${request.principal?.userId ?? request.ip}`,
  });
  const guards = createGuards(modules.identity.verifier, async (request) => {
    const r = await userLimiter(request);
    return { allowed: r.isAllowed || !r.isExceeded, retryAfterSeconds: r.isAllowed ? 0 : r.ttlInSeconds };
  });

  await app.register(opsRoutes, {
    metrics,
    region: platform.region,
    checks: {
      database: async (): Promise<DependencyState> => ((await platform.databaseProbe.ping()) ? 'up' : 'down'),
      cache: async (): Promise<DependencyState> =>
        platform.cache.kind === 'memory' ? 'disabled' : (await platform.cache.ping()) ? 'up' : 'down',
      broker: async (): Promise<DependencyState> =>
        platform.publisher.kind === 'in-process'
          ? 'disabled'
          : (await platform.publisher.healthy())
            ? 'up'
            : 'down',
      consumers: async (): Promise<DependencyState> => platform.consumerHealth?.() ?? 'disabled',
    },
  });
  // write requests commit once, with their answer and its idempotency record (ADR 0009)
  await app.register(requestTransactionPlugin, { dataSource: platform.dataSource });
  await app.register(idempotencyPlugin, { dataSource: platform.dataSource, clock: platform.clock });
  await app.register(deadLetterRoutes, {
    guards,
    deadLetters: new DeadLetters({
      dataSource: platform.dataSource,
      registrations: () => modules.lifecycle.consumers,
      logger: platform.logger,
      metrics,
    }),
  });

  // keys, first admin, deny-list, warehouses: before the first request is served
  await modules.lifecycle.init();
  await mountContexts(app, modules.all, guards);

  return { app, registrations: [...modules.lifecycle.consumers], modules };
};
