import { register } from 'node:module';
import { HttpInstrumentation } from '@opentelemetry/instrumentation-http';
import { IORedisInstrumentation } from '@opentelemetry/instrumentation-ioredis';
import { PgInstrumentation } from '@opentelemetry/instrumentation-pg';
import { NodeSDK } from '@opentelemetry/sdk-node';
import { loggableUrl } from '../logging/access-log.js';

/** Probe and scrape routes make no spans: they would drown the traces that matter. */
const UNTRACED_PATHS = new Set(['/healthz', '/readyz', '/metrics']);

/**
 * Starts the OpenTelemetry SDK when OTEL_EXPORTER_OTLP_ENDPOINT is set: traces of HTTP (server and
 * client), Postgres (pg, under TypeORM) and Redis (ioredis) exported over OTLP (the SDK reads the
 * standard OTEL_* variables, e.g. OTEL_EXPORTER_OTLP_PROTOCOL). Kafka spans are made by the publisher
 * and the consumer runner themselves (see `tracing.ts`) so that a published event's span
 * is a child of the request that wrote it, not of the relay loop that sent it.
 *
 * Must run before `pg`, `ioredis` and `node:http` are first imported: the entry point imports the
 * rest of the app only after calling this. Without an endpoint the API stays a no-op.
 */
export const startTelemetry = (opts: {
  endpoint?: string | undefined;
  serviceName: string;
}): (() => Promise<void>) => {
  if (!opts.endpoint) return async () => {};
  process.env.OTEL_SERVICE_NAME ??= opts.serviceName;
  process.env.OTEL_EXPORTER_OTLP_ENDPOINT ??= opts.endpoint;
  // the app is ESM: import-in-the-middle's loader hook lets the instrumentations patch modules imported
  // with `import` (require-in-the-middle covers those loaded with `require`, e.g. pg under TypeORM)
  register('@opentelemetry/instrumentation/hook.mjs', import.meta.url);
  const sdk = new NodeSDK({
    instrumentations: [
      new HttpInstrumentation({
        ignoreIncomingRequestHook: (req) => UNTRACED_PATHS.has((req.url ?? '').split('?')[0] ?? ''),
        // a server span says what an access line says (ADR 0024): the URL with query values outside
        // the allow-list and every non-word path segment (ids, a guest cart's credential) redacted —
        // the route is known later and named by nameServerSpan — and no client address or user agent
        startIncomingSpanHook: (req) => {
          const [path, query] = loggableUrl({ url: req.url }).split('?');
          return {
            'url.path': path,
            'url.query': query,
            'client.address': undefined,
            'network.peer.address': undefined,
            'network.peer.port': undefined,
            'user_agent.original': undefined,
          };
        },
      }),
      // SQL text is parameterised; values are never recorded (enhancedDatabaseReporting off)
      new PgInstrumentation({ requireParentSpan: true, enhancedDatabaseReporting: false }),
      // keys and values may hold personal data or token ids: spans name only the command
      new IORedisInstrumentation({ requireParentSpan: true, dbStatementSerializer: (command) => command }),
    ],
  });
  sdk.start();
  return () => sdk.shutdown();
};
