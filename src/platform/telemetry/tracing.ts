import {
  type Context,
  context,
  propagation,
  ROOT_CONTEXT,
  type Span,
  SpanKind,
  SpanStatusCode,
  trace,
} from '@opentelemetry/api';
import { currentRequestContext } from '../logging/request-context.js';

// Span helpers over the OpenTelemetry API: no-ops until the SDK is started (telemetry.ts).

/** The W3C traceparent of a context's span, if it has a valid one. */
const traceparentOf = (ctx: Context): string | undefined => {
  const carrier: Record<string, string> = {};
  propagation.inject(ctx, carrier);
  return carrier.traceparent;
};

/** The W3C traceparent of the active span, else of the request being served, for event headers. */
export const currentTraceparent = (): string | undefined =>
  (trace.getActiveSpan() ? traceparentOf(context.active()) : undefined) ??
  currentRequestContext()?.traceparent;

/** The trace id and traceparent of the active span when the SDK records one (incoming HTTP request). */
export const activeSpanTrace = (): { traceId: string; traceparent: string } | undefined => {
  const span = trace.getActiveSpan();
  if (!span?.isRecording()) return undefined;
  const traceparent = traceparentOf(context.active());
  return traceparent ? { traceId: span.spanContext().traceId, traceparent } : undefined;
};

/** Names the active HTTP server span after the matched route (`GET /api/v1/products/:idOrSlug`). */
export const nameServerSpan = (method: string, route: string | undefined): void => {
  const span = trace.getActiveSpan();
  if (!route || !span?.isRecording()) return;
  span.updateName(`${method} ${route}`);
  span.setAttribute('http.route', route);
};

/** The context a message's traceparent continues (the root context when it has none). */
const contextOf = (traceparent: string | undefined): Context =>
  traceparent ? propagation.extract(ROOT_CONTEXT, { traceparent }) : ROOT_CONTEXT;

const messagingAttributes = (topic: string, eventId: string, eventType: string) => ({
  'messaging.system': 'kafka',
  'messaging.destination.name': topic,
  'messaging.message.id': eventId,
  'cloudevents.event_type': eventType,
});

/**
 * A PRODUCER span for one event, child of the trace its outbox row recorded. `traceparent` is what the
 * message should carry: the new span's when tracing is on, else the recorded one unchanged.
 */
export const startProducerSpan = (
  topic: string,
  event: { id: string; type: string; traceparent?: string | undefined },
): { span: Span; traceparent: string | undefined } => {
  const parent = contextOf(event.traceparent);
  const span = trace
    .getTracer('shopcore')
    .startSpan(
      `publish ${topic}`,
      { kind: SpanKind.PRODUCER, attributes: messagingAttributes(topic, event.id, event.type) },
      parent,
    );
  const traceparent = span.isRecording() ? traceparentOf(trace.setSpan(parent, span)) : event.traceparent;
  return { span, traceparent };
};

/** Ends spans, marking them failed when `err` is set. */
export const endSpans = (spans: Span[], err?: unknown): void => {
  for (const span of spans) {
    if (err) {
      span.recordException(err instanceof Error ? err : String(err));
      span.setStatus({ code: SpanStatusCode.ERROR });
    }
    span.end();
  }
};

/**
 * Runs a consumer's handling of one message in a CONSUMER span, child of the message's traceparent,
 * so that the handler's queries and the events it writes continue the producer's trace.
 */
export const withConsumerSpan = async <T>(
  topic: string,
  event: { id: string; type: string; traceparent?: string | undefined },
  group: string,
  fn: () => Promise<T>,
): Promise<T> => {
  const parent = contextOf(event.traceparent);
  const span = trace.getTracer('shopcore').startSpan(
    `process ${topic}`,
    {
      kind: SpanKind.CONSUMER,
      attributes: {
        ...messagingAttributes(topic, event.id, event.type),
        'messaging.consumer.group.name': group,
      },
    },
    parent,
  );
  try {
    const result = await context.with(trace.setSpan(parent, span), fn);
    endSpans([span]);
    return result;
  } catch (err) {
    endSpans([span], err);
    throw err;
  }
};
