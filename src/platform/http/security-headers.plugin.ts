import type { IncomingMessage, ServerResponse } from 'node:http';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import helmet, { type HelmetOptions } from 'helmet';

/**
 * The headers helmet sets with these options, read once at start-up by running its middleware
 * against a recording response. Helmet decides the values; no request changes them (no CSP nonces).
 */
export const helmetHeaders = (options: Readonly<HelmetOptions>): Record<string, string> => {
  const headers: Record<string, string> = {};
  const recorder = {
    setHeader: (name: string, value: string | number | readonly string[]) => {
      headers[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : String(value);
    },
    removeHeader: (name: string) => {
      delete headers[name.toLowerCase()];
    },
  };
  let failure: unknown = null;
  helmet(options)({} as IncomingMessage, recorder as unknown as ServerResponse, (err?: unknown) => {
    failure = err ?? null;
  });
  if (failure) throw failure;
  return headers;
};

/**
 * Security headers on every response, as helmet would set them (docs/adr/0006). `@fastify/helmet`
 * runs helmet's eleven middlewares on each request, which halved a bare route's throughput
 * (docs/benchmarks.md); the headers do not depend on the request, so they are computed once and
 * set as one object in a single onRequest hook — before anything can answer, errors included.
 */
export const securityHeadersPlugin = fp(
  async (app: FastifyInstance, options: Readonly<HelmetOptions>) => {
    const headers = helmetHeaders(options);
    app.addHook('onRequest', (_request, reply, done) => {
      reply.headers(headers);
      done();
    });
  },
  { name: 'shopcore-security-headers' },
);
