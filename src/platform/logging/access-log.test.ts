import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { loggableUrl, redactQuery, serializeRequest } from './access-log.js';
import { createLogger } from './logger.js';

const CART = '0b5c7a52-3d7e-4f0e-9a51-6d0e2f1c9b11';
const ORDER = '7d1f0a3e-5b2c-4c8d-8e9f-1a2b3c4d5e6f';

/** A Fastify request as the serializer sees it after routing. */
const routed = (url: string, pattern: string, params: Record<string, string>, method = 'GET') => ({
  method,
  url,
  params,
  routeOptions: { url: pattern },
});

describe('redactQuery', () => {
  it('keeps the values of allow-listed parameters and redacts every other value', () => {
    expect(redactQuery('email=ada%40example.com')).toBe('email=[redacted]');
    expect(redactQuery('limit=20&cursor=abc_-&status=CONFIRMED&q=ada+lovelace&attr.colour=red')).toBe(
      'limit=20&cursor=abc_-&status=CONFIRMED&q=[redacted]&attr.colour=[redacted]',
    );
    expect(redactQuery('from=2026-01-01T00:00:00Z&to=x&customerId=' + ORDER)).toBe(
      `from=2026-01-01T00:00:00Z&to=x&customerId=${ORDER}`,
    );
  });

  it('redacts parameter names that are not plain identifiers, and keeps bare flags that are', () => {
    expect(redactQuery('ada%40example.com&x')).toBe('[redacted]&x');
    expect(redactQuery('ada@example.com=1')).toBe('[redacted]');
    // a repeated or malformed parameter is still redacted; an empty part is dropped
    expect(redactQuery('email=a&email=b&&%ZZ=1')).toBe('email=[redacted]&email=[redacted]&[redacted]');
  });
});

describe('loggableUrl', () => {
  it('shows the guest order lookup without the email', () => {
    const url = loggableUrl(
      routed(`/api/v1/orders/${ORDER}?email=ada%40example.com`, '/api/v1/orders/:id', { id: ORDER }),
    );
    expect(url).toBe(`/api/v1/orders/${ORDER}?email=[redacted]`);
  });

  it('redacts the cart id, the credential of a guest cart, and keeps the SKU', () => {
    expect(
      loggableUrl(
        routed(`/api/v1/carts/${CART}/items/LAMP-1`, '/api/v1/carts/:id/items/:sku', {
          id: CART,
          sku: 'LAMP-1',
        }),
      ),
    ).toBe('/api/v1/carts/[redacted]/items/LAMP-1');
    expect(loggableUrl(routed(`/api/v1/carts/${CART}`, '/api/v1/carts/:id', { id: CART }))).toBe(
      '/api/v1/carts/[redacted]',
    );
  });

  it('redacts route parameters outside the allow-list and wildcards', () => {
    expect(
      loggableUrl(
        routed('/api/v1/admin/promotions/SECRET10', '/api/v1/admin/promotions/:code', { code: 'SECRET10' }),
      ),
    ).toBe('/api/v1/admin/promotions/[redacted]');
    expect(loggableUrl(routed('/docs/static/x.js', '/docs/*', { '*': 'static/x.js' }))).toBe(
      '/docs/[redacted]',
    );
  });

  it('keeps only the plain words of a path that matched no route', () => {
    expect(loggableUrl({ method: 'GET', url: `/api/v1/cart/${CART}/ada@example.com?email=a%40b.c` })).toBe(
      '/api/v1/cart/[redacted]/[redacted]?email=[redacted]',
    );
    expect(loggableUrl({ url: '/.well-known/jwks.json' })).toBe('/.well-known/jwks.json');
  });
});

describe('the req serializer of the logger', () => {
  it('writes method, route and redacted URL — no address, port, host or headers', () => {
    const lines: Record<string, unknown>[] = [];
    const out = new Writable({
      write(chunk: Buffer, _enc, done) {
        lines.push(JSON.parse(chunk.toString()));
        done();
      },
    });
    const req = {
      ...routed(`/api/v1/orders/${ORDER}?email=ada%40example.com`, '/api/v1/orders/:id', { id: ORDER }),
      ip: '203.0.113.7',
      host: 'shop.example',
      headers: { 'user-agent': 'Ada’s phone', authorization: 'Bearer abc' },
      socket: { remotePort: 51234 },
    };
    createLogger('info', {}, out).info({ req }, 'incoming request');
    expect(lines[0]?.req).toEqual({
      method: 'GET',
      route: '/api/v1/orders/:id',
      url: `/api/v1/orders/${ORDER}?email=[redacted]`,
    });
    expect(serializeRequest({ method: 'GET', url: '/nowhere' })).toEqual({
      method: 'GET',
      route: 'unmatched',
      url: '/nowhere',
    });
  });
});
