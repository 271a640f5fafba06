import swagger from '@fastify/swagger';
import Fastify from 'fastify';
import { serializerCompiler, validatorCompiler, type ZodTypeProvider } from 'fastify-type-provider-zod';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { createGuards } from './auth.js';
import { text } from './input.js';
import { openApiTransform, openApiTransformObject } from './openapi.js';
import { problemResponses } from './problem.js';

interface Doc {
  paths: Record<
    string,
    Record<
      string,
      {
        parameters?: { name: string; in: string; required: boolean }[];
        requestBody?: { required: boolean };
        security?: unknown[];
        responses: Record<string, { content?: Record<string, unknown> }>;
      }
    >
  >;
}

describe('the OpenAPI transform', () => {
  const app = Fastify().withTypeProvider<ZodTypeProvider>();
  let doc: Doc;

  beforeAll(async () => {
    app.setValidatorCompiler(validatorCompiler);
    app.setSerializerCompiler(serializerCompiler);
    await app.register(swagger, {
      openapi: {
        openapi: '3.1.0',
        info: { title: 't', version: '1' },
        components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } } },
      },
      transform: openApiTransform,
      transformObject: openApiTransformObject,
    });
    const guards = createGuards({
      verify: async () => ({ userId: 'u', roles: [], tokenId: 't', expiresAt: new Date() }),
    });
    app.post(
      '/orders/:id',
      {
        onRequest: guards.requireRoles('admin'),
        config: { idempotency: 'required' },
        schema: {
          params: z.object({ id: z.uuid() }),
          body: z.object({ note: text({ max: 10 }) }),
          response: { 201: z.object({ ok: z.boolean() }), ...problemResponses(402) },
        },
      },
      async () => ({ ok: true }),
    );
    app.get('/probe', { config: { rateLimit: false }, schema: {} }, async () => 'ok');
    app.post(
      '/carts',
      { onRequest: guards.optionalAuth, schema: { body: z.strictObject({}).nullish() } },
      async () => ({}),
    );
    app.put(
      '/no-idempotency',
      { onRequest: guards.authenticate, schema: { body: z.object({ a: z.number() }) } },
      async () => ({}),
    );
    await app.ready();
    doc = app.swagger() as unknown as Doc;
  });
  afterAll(() => app.close());

  const statuses = (path: string, method: string) => Object.keys(doc.paths[path]![method]!.responses).sort();

  it('derives every platform status from the shape of a guarded, idempotent POST with a body and a parameter', () => {
    expect(statuses('/orders/{id}', 'post')).toEqual(
      ['201', '400', '401', '402', '403', '404', '409', '413', '415', '422', '429', '500', '503'].sort(),
    );
  });

  it('declares only what a probe can answer: 400 for a query string that is not UTF-8, 500, 503', () => {
    expect(statuses('/probe', 'get')).toEqual(['200', '400', '500', '503']);
  });

  it('declares 401 but not 403 where the token is optional, and no 422 where Idempotency-Key is not read', () => {
    expect(statuses('/carts', 'post')).toContain('401');
    expect(statuses('/carts', 'post')).not.toContain('403');
    expect(doc.paths['/carts']!.post!.security).toEqual([{ bearer: [] }, {}]);
    expect(statuses('/no-idempotency', 'put')).toEqual([
      '200',
      '400',
      '401',
      '413',
      '415',
      '429',
      '500',
      '503',
    ]);
    expect(doc.paths['/no-idempotency']!.put!.security).toEqual([{ bearer: [] }]);
  });

  it('declares Idempotency-Key required where the route requires it, optional where it is honoured', () => {
    const header = (path: string) =>
      doc.paths[path]!.post!.parameters?.find((p) => p.in === 'header' && p.name === 'Idempotency-Key');
    expect(header('/orders/{id}')).toMatchObject({ required: true });
    expect(header('/carts')).toMatchObject({ required: false });
    expect(doc.paths['/no-idempotency']!.put!.parameters ?? []).toEqual([]);
  });

  it('renders every error, declared or derived, as application/problem+json only', () => {
    const responses = doc.paths['/orders/{id}']!.post!.responses;
    for (const status of ['400', '402', '422']) {
      expect(Object.keys(responses[status]!.content!)).toEqual(['application/problem+json']);
    }
    expect(Object.keys(responses['201']!.content!)).toEqual(['application/json']);
  });

  it('does not require a body that may be left out', () => {
    expect(doc.paths['/carts']!.post!.requestBody?.required).toBe(false);
    expect(doc.paths['/orders/{id}']!.post!.requestBody?.required).toBe(true);
    expect(JSON.stringify(doc)).not.toContain('x-shopcore');
  });
});
