import type { SwaggerTransform, SwaggerTransformObject } from '@fastify/swagger';
import type { FastifySchema } from 'fastify';
import { jsonSchemaTransform, jsonSchemaTransformObject } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { guardPolicyOf } from './auth.js';
import { IDEMPOTENCY_KEY_PATTERN, idempotencyModeOf } from './idempotency.plugin.js';
import { text } from './input.js';
import { problemSchema } from './problem.js';

/**
 * The OpenAPI document tells the whole truth about every operation (docs/architecture.md, "The
 * OpenAPI document"). Routes declare their successes and the errors of their own logic (a 409 for a
 * taken email); what the platform adds to every route is derived here from the route's shape, the
 * same facts the platform acts on:
 *
 * | status | declared where                                                                |
 * |--------|-------------------------------------------------------------------------------|
 * | 400    | every route: a query string that is not percent-encoded UTF-8; and invalid     |
 * |        | params, query, body or headers where the route takes them (bad JSON too)        |
 * | 401    | a guard reads the bearer token (required or optional)                          |
 * | 403    | a guard requires a role                                                        |
 * | 404    | the path has parameters (an unknown resource)                                  |
 * | 409    | a POST that honours Idempotency-Key (the same key still running)               |
 * | 413    | the method takes a body (POST, PUT, PATCH, DELETE): over BODY_LIMIT_BYTES       |
 * | 415    | the method takes a body: a content type other than JSON                        |
 * | 422    | a POST that honours Idempotency-Key (the key reused with another body)         |
 * | 429    | the route is rate limited (per IP, per user once authenticated)                |
 * | 500    | every route                                                                    |
 * | 503    | every route: load shedding, a dependency down, shutting down                   |
 *
 * Every error is `application/problem+json` with the Problem schema. The `Idempotency-Key` header
 * is declared where it is honoured (required where the route says so), `security` where a guard reads
 * the token, `Retry-After` on 429 and 503, `x-request-id` on every response, and a request body that
 * may be left out is not `required`.
 */

const PROBLEM = 'application/problem+json';
const BODY_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

const DESCRIPTIONS: Record<number, string> = {
  400: 'VALIDATION_FAILED: a parameter, a header, the JSON or a field of the body is invalid, or the query string or body is not UTF-8 (a malformed %-escape, an encoded lone surrogate); `errors` lists every offending field',
  401: 'UNAUTHENTICATED: the bearer token is missing, malformed, expired or revoked',
  402: 'PAYMENT_DECLINED',
  403: "FORBIDDEN: the token lacks a role this operation requires, or a check of the operation's own refused (its description says which)",
  404: 'NOT_FOUND: no such resource (or not visible to the caller)',
  409: 'CONFLICT, EMAIL_TAKEN, OUT_OF_STOCK or ILLEGAL_STATE_TRANSITION: the request conflicts with the current state, or a request with the same Idempotency-Key is still being processed',
  413: 'PAYLOAD_TOO_LARGE: the body exceeds the size limit (BODY_LIMIT_BYTES)',
  415: 'UNSUPPORTED_MEDIA_TYPE: the body is not `application/json`',
  422: 'IDEMPOTENCY_KEY_REUSED: the Idempotency-Key was used with a different body',
  429: 'RATE_LIMITED: too many requests from this client or user; `Retry-After` says when to retry',
  500: 'INTERNAL: an unexpected error; the details stay in the server logs',
  503: 'UNAVAILABLE: the server is overloaded, a dependency is down, or the process is shutting down; retry later (`Retry-After` when known)',
};

type ZodResponse = z.ZodType | { description?: string; content: Record<string, { schema: z.ZodType }> };

interface RouteShape {
  methods: string[];
  url: string;
  config?: { rateLimit?: unknown; idempotency?: false | 'optional' | 'required' };
  onRequest?: unknown;
}

/** The error statuses the platform can answer on a route of this shape (see the table above). */
export const platformStatuses = (route: RouteShape): number[] => {
  // 400 everywhere: any route refuses a query string that is not percent-encoded UTF-8 (text-encoding.ts)
  const statuses = new Set<number>([400, 500, 503]);
  const takesBody = route.methods.some((m) => BODY_METHODS.has(m));
  const idempotent = route.methods.some((m) => idempotencyModeOf(m, route.config) !== false);
  const guard = guardPolicyOf(route.onRequest);
  if (guard) statuses.add(401);
  if (guard?.roles.length) statuses.add(403);
  if (route.url.includes(':')) statuses.add(404);
  if (takesBody) {
    statuses.add(413);
    statuses.add(415);
  }
  if (idempotent) {
    statuses.add(409);
    statuses.add(422);
  }
  if (route.config?.rateLimit !== false || guard) statuses.add(429);
  return [...statuses];
};

const isProblem = (response: unknown) => response === problemSchema;

/** A response of the route's own (a success, readyz's 503) plus the problem a status can also be. */
const withProblem = (status: number, declared: ZodResponse | undefined): ZodResponse => {
  const content: Record<string, { schema: z.ZodType }> = {};
  let description = DESCRIPTIONS[status] ?? 'Error';
  if (declared && !isProblem(declared)) {
    if (declared instanceof z.ZodType) content['application/json'] = { schema: declared };
    else {
      Object.assign(content, declared.content);
      if (declared.description) description = `${declared.description}; or ${description}`;
    }
  }
  content[PROBLEM] = { schema: problemSchema };
  return { description, content };
};

const idempotencyHeader = (required: boolean) => {
  const key = text({ max: 255, pattern: IDEMPOTENCY_KEY_PATTERN, trim: false }).describe(
    'Same key and same body within 24 h: the first response is replayed (`idempotent-replayed: true`); same key and another body: 422',
  );
  return z.object({ 'Idempotency-Key': required ? key : key.optional() });
};

/** May the request body be left out (Fastify hands a missing body over as undefined, or null)? */
const bodyOptional = (body: unknown): boolean =>
  body instanceof z.ZodType && (body.safeParse(undefined).success || body.safeParse(null).success);

/** `x-` keys of the route schema are copied onto the operation; the object transform reads and drops them. */
const BODY_OPTIONAL = 'x-shopcore-body-optional';

/** The per-route transform: the route's own schemas plus what the platform adds to every route. */
export const openApiTransform: SwaggerTransform = (input) => {
  const { route } = input;
  const schema = input.schema as FastifySchema & {
    hide?: boolean;
    security?: unknown;
    [key: string]: unknown;
  };
  if (!schema || schema.hide) return jsonSchemaTransform(input as Parameters<typeof jsonSchemaTransform>[0]);
  const methods = (Array.isArray(route.method) ? route.method : [route.method]).map(String);
  const shape: RouteShape = {
    methods,
    url: route.url,
    config: route.config as RouteShape['config'],
    onRequest: route.onRequest,
  };

  const declared = (schema.response ?? {}) as Record<string, ZodResponse>;
  const response: Record<string, ZodResponse> = {};
  for (const [status, r] of Object.entries(declared)) {
    response[status] = Number(status) >= 400 ? withProblem(Number(status), r) : r;
  }
  for (const status of platformStatuses(shape)) {
    if (!response[status]) response[status] = withProblem(status, undefined);
  }

  const extended: Record<string, unknown> = { ...schema, response };
  const mode = methods.map((m) => idempotencyModeOf(m, shape.config)).find((m) => m !== false);
  if (mode && !schema.headers) extended.headers = idempotencyHeader(mode === 'required');
  const guard = guardPolicyOf(route.onRequest);
  if (guard && !schema.security) {
    extended.security = guard.token === 'required' ? [{ bearer: [] }] : [{ bearer: [] }, {}];
  }
  if (schema.body && bodyOptional(schema.body)) extended[BODY_OPTIONAL] = true;

  const out = jsonSchemaTransform({ ...input, schema: extended } as Parameters<
    typeof jsonSchemaTransform
  >[0]);
  // a route that declares no success keeps @fastify/swagger's default one (the errors above would drop it)
  if (!Object.keys(declared).some((status) => status.startsWith('2'))) {
    out.schema.response = {
      200: { type: 'null', description: 'Default Response' },
      ...(out.schema.response as object),
    };
  }
  return out;
};

const HEADERS = {
  RequestId: {
    description: 'the request id: a well-formed incoming `x-request-id` echoed, else a new one',
    required: true,
    schema: { type: 'string', minLength: 1, maxLength: 128 },
  },
  RetryAfter: {
    description: 'seconds until a retry may succeed',
    required: true,
    schema: { type: 'integer', minimum: 1 },
  },
  RetryAfterWhenKnown: {
    description: 'seconds until a retry may succeed, when the server knows',
    required: false,
    schema: { type: 'integer', minimum: 1 },
  },
};
/** Response headers by status, besides `x-request-id` on every response. */
const STATUS_HEADERS: Record<string, Record<string, keyof typeof HEADERS>> = {
  '429': { 'retry-after': 'RetryAfter' },
  '503': { 'retry-after': 'RetryAfterWhenKnown' },
};
const ref = (name: keyof typeof HEADERS) => ({ $ref: `#/components/headers/${name}` });

type Operation = {
  requestBody?: { required?: boolean };
  responses?: Record<string, { headers?: Record<string, unknown> }>;
  [key: string]: unknown;
};

/** The document-wide transform: component schemas, then what the per-route transform left for it. */
export const openApiTransformObject: SwaggerTransformObject = (input) => {
  const doc = jsonSchemaTransformObject(input) as {
    paths?: Record<string, Record<string, Operation>>;
    components?: Record<string, Record<string, unknown>>;
  };
  doc.components = { ...doc.components, headers: { ...doc.components?.headers, ...HEADERS } };
  for (const operations of Object.values(doc.paths ?? {})) {
    for (const op of Object.values(operations)) {
      if (op[BODY_OPTIONAL]) {
        if (op.requestBody) op.requestBody.required = false;
        delete op[BODY_OPTIONAL];
      }
      for (const [status, r] of Object.entries(op.responses ?? {})) {
        const extra = Object.entries(STATUS_HEADERS[status] ?? {}).map(([name, h]) => [name, ref(h)]);
        r.headers = { 'x-request-id': ref('RequestId'), ...Object.fromEntries(extra), ...r.headers };
      }
    }
  }
  return doc as ReturnType<SwaggerTransformObject>;
};
