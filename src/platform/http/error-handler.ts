import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { hasZodFastifySchemaValidationErrors, isResponseSerializationError } from 'fastify-type-provider-zod';
import { PoolSaturatedError } from '../db/connection-guard.js';
import { isDatabaseUnavailable } from '../db/database-errors.js';
import { AppError, type FieldError, RateLimitedError, STATUS_BY_CODE } from '../errors.js';
import { drainRequestBody } from './body-drain.js';
import { AnsweredAlready, replay } from './idempotency.plugin.js';
import { problem } from './problem.js';

const PROBLEM_TYPE = 'application/problem+json; charset=utf-8';

const toPath = (instancePath: string, context: string | undefined): string => {
  const path = instancePath.replace(/^\//, '').split('/').filter(Boolean).join('.');
  if (context && context !== 'body') return path ? `${context}.${path}` : context;
  return path || '(body)';
};

/** A bad key of a record (an attribute name, say): zod's own message is "Invalid key in record". */
const keyProblem = (keyword: string, params: unknown): string | undefined => {
  if (keyword !== 'invalid_key') return undefined;
  const nested = (params as { issues?: { message?: string }[] } | undefined)?.issues?.[0]?.message;
  return nested ? `the name ${nested}` : undefined;
};

const send = (reply: FastifyReply, body: ReturnType<typeof problem>) => {
  // a step after the request's effect committed failed: it answers what it recorded with the effect
  // (idempotency.plugin.ts answerCheckpoint), never a 5xx that would invite a retry
  const checkpoint = reply.request.checkpointAnswer;
  if (body.status >= 500 && checkpoint) {
    reply.request.log.warn(
      { status: body.status, code: body.code },
      'a step after the effect failed; answering with the answer recorded with the effect',
    );
    reply.removeHeader('retry-after');
    return reply
      .status(checkpoint.status)
      .type('application/json; charset=utf-8')
      .serializer((p: unknown) => p as string)
      .send(checkpoint.payload);
  }
  return reply.status(body.status).type(PROBLEM_TYPE).serializer(JSON.stringify).send(body);
};

/**
 * One error handler for the whole API: typed application errors map to their status by code, request
 * validation lists every offending field, Fastify's own client errors (malformed JSON, too large,
 * unsupported media type) become problems too, and a 5xx never reveals internals.
 */
export const installErrorHandling = (app: FastifyInstance): void => {
  app.setErrorHandler((err: FastifyError, request: FastifyRequest, reply: FastifyReply) => {
    const rid = String(request.id);
    // the key was answered already (found by a use case's claim, which rolled its transaction back)
    if ((err as unknown) instanceof AnsweredAlready) {
      request.idempotency = null;
      return replay(reply, (err as unknown as AnsweredAlready).answer);
    }
    if (hasZodFastifySchemaValidationErrors(err)) {
      const context = err.validationContext === 'querystring' ? 'query' : err.validationContext;
      const errors: FieldError[] = err.validation.map((v) => ({
        path: toPath(v.instancePath, context),
        message: keyProblem(v.keyword, v.params) ?? v.message ?? 'is invalid',
      }));
      return send(
        reply,
        problem(400, 'VALIDATION_FAILED', 'The request is invalid; see errors', rid, errors),
      );
    }
    if (err instanceof AppError) {
      const status = STATUS_BY_CODE[err.code];
      if (status >= 500) request.log.warn({ err }, 'request failed with an unavailable dependency');
      if (err instanceof RateLimitedError)
        reply.header('retry-after', String(Math.max(1, err.retryAfterSeconds)));
      return send(reply, problem(status, err.code, err.message, rid, err.errors, err.extensions));
    }
    if (isResponseSerializationError(err)) {
      request.log.error({ err, issues: err.cause.issues }, 'response did not match its schema');
      return send(reply, problem(500, 'INTERNAL', 'An unexpected error occurred', rid));
    }
    switch (err.code) {
      case 'FST_ERR_CTP_INVALID_JSON_BODY':
      case 'FST_ERR_CTP_EMPTY_JSON_BODY':
        return send(reply, problem(400, 'VALIDATION_FAILED', 'The request body is not valid JSON', rid));
      case 'FST_ERR_CTP_BODY_TOO_LARGE':
        // Fastify refuses the body before reading it all and closes the connection: a client still
        // sending would write into a closed socket and lose this answer (a proxy in front answers 500
        // or 502). Read the rest and throw it away first; once all of it is in, the connection stays
        // usable (body-drain.ts, ADR 0027).
        return drainRequestBody(request.raw).then((drained) => {
          if (drained) reply.removeHeader('connection');
          return send(reply, problem(413, 'PAYLOAD_TOO_LARGE', 'The request body is too large', rid));
        });
      case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
        return send(
          reply,
          problem(415, 'UNSUPPORTED_MEDIA_TYPE', 'Send JSON with content-type application/json', rid),
        );
      case 'FST_ERR_CTP_INVALID_CONTENT_LENGTH':
        return send(reply, problem(400, 'VALIDATION_FAILED', 'The request content-length is invalid', rid));
    }
    if (err instanceof SyntaxError) {
      return send(reply, problem(400, 'VALIDATION_FAILED', 'The request body is not valid JSON', rid));
    }
    const status = err.statusCode ?? 500;
    if (status === 429) {
      return send(reply, problem(429, 'RATE_LIMITED', 'Too many requests; slow down', rid));
    }
    if (status === 503) {
      return send(
        reply,
        problem(503, 'UNAVAILABLE', 'The service is overloaded or a dependency is down', rid),
      );
    }
    if (status >= 400 && status < 500) {
      const code =
        status === 401
          ? 'UNAUTHENTICATED'
          : status === 403
            ? 'FORBIDDEN'
            : status === 404
              ? 'NOT_FOUND'
              : 'VALIDATION_FAILED';
      return send(reply, problem(status, code, err.message, rid));
    }
    if (isPoolSaturated(err)) {
      request.log.warn({ code: 'POOL_SATURATED' }, 'database pool saturated; request shed');
      reply.header('retry-after', '1');
      return send(reply, problem(503, 'UNAVAILABLE', 'The service is busy; retry shortly', rid));
    }
    if (isDatabaseUnavailable(err)) {
      request.log.error({ err }, 'database unavailable');
      reply.header('retry-after', '5');
      return send(reply, problem(503, 'UNAVAILABLE', 'A dependency is unavailable; try again shortly', rid));
    }
    request.log.error({ err }, 'unhandled error');
    return send(reply, problem(500, 'INTERNAL', 'An unexpected error occurred', rid));
  });

  app.setNotFoundHandler((request, reply) =>
    send(
      reply,
      problem(
        404,
        'NOT_FOUND',
        `No route ${request.method} ${request.url.split('?')[0]}`,
        String(request.id),
      ),
    ),
  );
};

/**
 * Every pooled connection busy: refused at once (more than DB_POOL_MAX_WAITING waiters) or not handed
 * one within DB_POOL_ACQUIRE_TIMEOUT_MS. pg-pool words the second like a connect timeout; a database
 * that is really down is caught by the probe (`/readyz`), and both are 503 to the caller.
 */
const isPoolSaturated = (err: unknown): boolean =>
  err instanceof PoolSaturatedError ||
  /^timeout exceeded when trying to connect$/.test((err as { message?: string }).message ?? '');
