import { trace } from '@opentelemetry/api';
import { type DestinationStream, type Logger, pino } from 'pino';
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
 * pino JSON logger. Each line carries the request id, trace id and user id of the request it was
 * written in (taken from the async request context and the active OpenTelemetry span).
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
