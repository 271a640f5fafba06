import { context, propagation, trace } from '@opentelemetry/api';
import { NodeSDK } from '@opentelemetry/sdk-node';
import { currentRequestContext } from '../logging/request-context.js';

/**
 * Starts the OpenTelemetry SDK when OTEL_EXPORTER_OTLP_ENDPOINT is set (traces exported over OTLP/HTTP;
 * the SDK reads the standard OTEL_* variables). Without it the API stays a no-op.
 */
export const startTelemetry = (opts: {
  endpoint?: string | undefined;
  serviceName: string;
}): (() => Promise<void>) => {
  if (!opts.endpoint) return async () => {};
  process.env.OTEL_SERVICE_NAME ??= opts.serviceName;
  const sdk = new NodeSDK({});
  sdk.start();
  return () => sdk.shutdown();
};

/** The W3C traceparent of the active span, else of the request being served, for event headers. */
export const currentTraceparent = (): string | undefined => {
  if (trace.getActiveSpan()) {
    const carrier: Record<string, string> = {};
    propagation.inject(context.active(), carrier);
    if (carrier.traceparent) return carrier.traceparent;
  }
  return currentRequestContext()?.traceparent;
};
