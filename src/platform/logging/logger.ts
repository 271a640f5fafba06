import { trace } from '@opentelemetry/api';
import { type DestinationStream, type Logger, pino } from 'pino';
import { redactQueriesIn, serializeRequest } from './access-log.js';
import { currentRequestContext } from './request-context.js';

export type { Logger };

/** Paths that must never reach a log line. */
const REDACT = [
  'password',
  '*.password',
  'refreshToken',
  '*.refreshToken',
  'accessToken',
  '*.accessToken',
  'token',
  '*.token',
  'req.headers.authorization',
  'req.headers.cookie',
  'headers.authorization',
  'card',
  '*.card',
];

/**
 * What a database error (pg's `DatabaseError`, TypeORM's `QueryFailedError` which copies it) carries
 * besides its SQLSTATE `code`, `constraint`, `table`, `column`, `schema`, `dataType`, `severity` and
 * `routine`, that holds data rather than a diagnosis: the bound values, the SQL text, pg's `detail`
 * (`Key (email)=(a@b.c)`, `Failing row contains (...)`), `where`/`hint` (PL/pgSQL context with values).
 * None of it is ever logged, from any error at any depth (causes, aggregate errors, `driverError`).
 */
const DATA_FIELDS = new Set(['parameters', 'query', 'detail', 'where', 'hint', 'internalQuery']);

/** A serialized pg / TypeORM database error: a five-character SQLSTATE code and a severity. */
const isDatabaseError = (e: Record<string, unknown>): boolean =>
  typeof e.code === 'string' && /^[0-9A-Z]{5}$/.test(e.code) && typeof e.severity === 'string';

const unquote = (text: string): string => text.replace(/"[^"\n]*"/g, '"[redacted]"');

const scrub = (value: unknown, depth: number): unknown => {
  if (value === null || typeof value !== 'object' || depth > 8) return value;
  if (Array.isArray(value)) return value.map((v) => scrub(v, depth + 1));
  const out: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(value)) {
    if (DATA_FIELDS.has(key)) continue;
    // a message or stack may quote a request URL: its query string (`?email=…`) is redacted
    out[key] =
      (key === 'message' || key === 'stack') && typeof v === 'string'
        ? redactQueriesIn(v)
        : scrub(v, depth + 1);
  }
  // SQLSTATE class 22 (data exception) messages quote the offending value:
  // `invalid input syntax for type uuid: "…"`; the stack repeats the message, its frames name files
  if (isDatabaseError(out) && String(out.code).startsWith('22')) {
    if (typeof out.message === 'string') out.message = unquote(out.message);
    if (typeof out.stack === 'string') {
      out.stack = out.stack
        .split('\n')
        .map((line) => (/^\s+at /.test(line) ? line : unquote(line)))
        .join('\n');
    }
  }
  return out;
};

/**
 * The `err` serializer of every logger: pino's (with causes as nested objects, so a wrapped database
 * error keeps its code), minus the data that database errors carry ({@link DATA_FIELDS}), and with
 * quoted values taken out of data exceptions. Central, so it holds for request errors, consumers,
 * the relay and background tasks alike.
 */
export const serializeError = (err: unknown): unknown =>
  scrub(pino.stdSerializers.errWithCause(err as Error), 0);

/**
 * pino JSON logger. Each line carries the request id, trace id and user id of the request it was
 * written in (taken from the async request context and the active OpenTelemetry span). A request is
 * logged (`{ req }`) as its method, route and redacted URL only (access-log.ts), and errors without
 * the data database errors carry ({@link serializeError}); Fastify's own lines use these serializers.
 */
export const createLogger = (
  level: string,
  base: Record<string, unknown> = {},
  destination?: DestinationStream,
): Logger =>
  pino(
    {
      level,
      base: { service: 'shopcore', ...base },
      redact: { paths: REDACT, censor: '[redacted]' },
      serializers: { err: serializeError, req: serializeRequest },
      // a message that quotes a URL (Fastify's "Reply was already sent … in "/…?email=…"") loses its query
      hooks: {
        logMethod(args, method) {
          for (let i = 0; i < args.length; i++) {
            const arg = args[i];
            if (typeof arg === 'string') args[i] = redactQueriesIn(arg);
          }
          return method.apply(this, args);
        },
      },
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
      mixin() {
        const ctx = currentRequestContext();
        const span = trace.getActiveSpan()?.spanContext();
        const traceId = ctx?.traceId ?? span?.traceId;
        const out: Record<string, string> = {};
        if (ctx?.requestId) out.requestId = ctx.requestId;
        if (traceId) out.traceId = traceId;
        if (ctx?.userId) out.userId = ctx.userId;
        return out;
      },
    },
    destination ?? pino.destination(1),
  );
