import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import Fastify from 'fastify';
import helmet from 'helmet';
import { describe, expect, it } from 'vitest';
import { helmetHeaders, securityHeadersPlugin } from './security-headers.plugin.js';

const OPTIONS = {
  contentSecurityPolicy: false,
  crossOriginResourcePolicy: { policy: 'cross-origin' as const },
};

/** The headers helmet's own middleware puts on a real Node response. */
const helmetOnARealResponse = async (): Promise<IncomingHttpHeaders> => {
  const middleware = helmet(OPTIONS);
  const server = createServer((req, res) => {
    res.setHeader('x-powered-by', 'something');
    middleware(req, res, () => res.end('ok'));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  try {
    const { port } = server.address() as AddressInfo;
    const res = await fetch(`http://127.0.0.1:${port}/`);
    return Object.fromEntries(res.headers);
  } finally {
    await new Promise((resolve) => server.close(resolve));
  }
};

const NOT_HELMET = ['content-length', 'content-type', 'date', 'connection', 'keep-alive'];

describe('securityHeadersPlugin', () => {
  it('computes exactly the headers helmet sets on a real response, and no X-Powered-By', async () => {
    const real = await helmetOnARealResponse();
    const fromHelmet = Object.fromEntries(Object.entries(real).filter(([k]) => !NOT_HELMET.includes(k)));
    const computed = helmetHeaders(OPTIONS);
    expect(computed).toEqual(fromHelmet);
    expect(Object.keys(computed).length).toBeGreaterThan(8);
    expect(computed['x-powered-by']).toBeUndefined();
    expect(computed['content-security-policy']).toBeUndefined();
    expect(computed['cross-origin-resource-policy']).toBe('cross-origin');
  });

  it('puts them on answers, unknown routes and errors alike', async () => {
    const app = Fastify();
    await app.register(securityHeadersPlugin, OPTIONS);
    app.get('/ok', async () => ({ ok: true }));
    app.get('/boom', async () => {
      throw new Error('boom');
    });
    const expected = helmetHeaders(OPTIONS);
    for (const [url, status] of [
      ['/ok', 200],
      ['/missing', 404],
      ['/boom', 500],
    ] as const) {
      const res = await app.inject({ method: 'GET', url });
      expect(res.statusCode, url).toBe(status);
      for (const [name, value] of Object.entries(expected))
        expect(res.headers[name], `${url} ${name}`).toBe(value);
    }
    await app.close();
  });

  it('refuses options helmet refuses', () => {
    expect(() => helmetHeaders({ strictTransportSecurity: { maxAge: -1 } })).toThrow();
  });
});
