import { AsyncLocalStorage } from 'node:async_hooks';

/** What every log line of a request carries. */
export interface RequestContext {
  requestId: string;
  traceId?: string;
  /** the incoming W3C traceparent, carried into the events the request writes */
  traceparent?: string;
  userId?: string;
}

export const requestContext = new AsyncLocalStorage<RequestContext>();

export const currentRequestContext = (): RequestContext | undefined => requestContext.getStore();
