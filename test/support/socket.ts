import type { FastifyInstance } from 'fastify';
import { sampleWhile } from './wait.js';

/** Listens on a free loopback port and returns the base URL (tests of the real socket path). */
export const listenOnLoopback = async (app: FastifyInstance): Promise<string> => {
  await app.listen({ port: 0, host: '127.0.0.1' });
  const address = app.server.address();
  if (!address || typeof address === 'string') throw new Error('the app has no TCP port');
  return `http://127.0.0.1:${address.port}`;
};

/** Samples `<base>/readyz` every `everyMs` until stopped; `stop()` returns every status it saw (-1: no answer). */
export const watchReadiness = (base: string, everyMs = 20) =>
  sampleWhile(
    () =>
      fetch(`${base}/readyz`).then(
        (r) => r.status,
        () => -1,
      ),
    everyMs,
  );

/** What a storefront sees of one answer over the socket. */
export interface SocketAnswer {
  status: number;
  body: Record<string, unknown>;
  retryAfter: string | null;
  /** `idempotent-replayed: true`: the stored answer of an Idempotency-Key */
  replayed: boolean;
}

/** Calls the app listening at `base` like a storefront would: JSON in, JSON (or nothing) out. */
export const socketClient =
  (base: string) =>
  async (
    method: string,
    path: string,
    body?: unknown,
    headers: Record<string, string> = {},
  ): Promise<SocketAnswer> => {
    const res = await fetch(`${base}${path}`, {
      method,
      headers: body === undefined ? headers : { ...headers, 'content-type': 'application/json' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await res.text();
    return {
      status: res.status,
      body: text ? (JSON.parse(text) as Record<string, unknown>) : {},
      retryAfter: res.headers.get('retry-after'),
      replayed: res.headers.get('idempotent-replayed') === 'true',
    };
  };
