import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { requestContext } from '../logging/request-context.js';
import type { Metrics } from '../telemetry/metrics.js';
import { activeSpanTrace, nameServerSpan } from '../telemetry/tracing.js';

const REQUEST_ID_RE = /^[A-Za-z0-9._:-]{1,128}$/;
const TRACEPARENT_RE = /^[0-9a-f]{2}-([0-9a-f]{32})-[0-9a-f]{16}-[0-9a-f]{2}$/;

/** Uses a well-formed incoming x-request-id, or makes a new one. */
export const genRequestId = (req: IncomingMessage): string => {
  const incoming = req.headers['x-request-id'];
  return typeof incoming === 'string' && REQUEST_ID_RE.test(incoming) ? incoming : randomUUID();
};

const traceOf = (tp: string | string[] | undefined): { traceId: string; traceparent: string } => {
  const incoming = typeof tp === 'string' ? TRACEPARENT_RE.exec(tp) : null;
  if (incoming?.[1]) return { traceId: incoming[1], traceparent: tp as string };
  // randomUUID draws from Node's batched entropy cache; randomBytes would be a getrandom() call each
  // (two per request, 8% of a product-detail request's CPU: docs/benchmarks.md)
  const traceId = randomUUID().replaceAll('-', '');
  return { traceId, traceparent: `00-${traceId}-${randomUUID().slice(0, 18).replaceAll('-', '')}-00` };
};

/**
 * Puts the request id (and the trace id of an incoming `traceparent`) in the async request context
 * so every log line of the request carries them, echoes `x-request-id`, and records RED metrics.
 */
export const requestContextPlugin = fp(
  async (app: FastifyInstance, { metrics, logRequests }: { metrics: Metrics; logRequests: boolean }) => {
    app.addHook('onRequest', (request, reply, done) => {
      reply.header('x-request-id', request.id);
      // with tracing on, the HTTP server span (which continued any incoming traceparent) names the
      // trace; without it an incoming W3C traceparent is continued, or the request starts a trace of
      // its own (not sampled), so that its log lines and the events it writes can still be correlated
      nameServerSpan(request.method, request.routeOptions.url);
      const { traceId, traceparent } = activeSpanTrace() ?? traceOf(request.headers.traceparent);
      requestContext.run({ requestId: String(request.id), traceId, traceparent }, () => {
        // logged here rather than by Fastify so that the line carries the request context
        if (logRequests) request.log.info({ req: request }, 'incoming request');
        done();
      });
    });
    app.addHook('onResponse', (request, reply, done) => {
      const route = request.routeOptions.url ?? 'unmatched';
      const labels = { method: request.method, route, status: String(reply.statusCode) };
      metrics.httpRequests.inc(labels);
      metrics.httpDuration.observe(labels, reply.elapsedTime / 1000);
      done();
    });
  },
  { name: 'shopcore-request-context' },
);
