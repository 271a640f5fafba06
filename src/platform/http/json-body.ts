import type { FastifyInstance, FastifyRequest } from 'fastify';
import { ValidationError } from '../errors.js';
import { decodeUtf8 } from './text-encoding.js';

interface BodySchema {
  safeParse(value: unknown): { success: boolean };
}

/**
 * Whether the route takes no body: it declares no body schema (logout, DELETE routes), or its zod
 * body schema accepts `undefined` (`POST /carts`, whose body is optional).
 */
const takesNoBody = (request: FastifyRequest): boolean => {
  const schema = request.routeOptions.schema?.body as Partial<BodySchema> | undefined;
  if (!schema) return true;
  return typeof schema.safeParse === 'function' && schema.safeParse(undefined).success;
};

/**
 * The JSON body parser: Fastify's own (secure-json-parse, prototype poisoning refused) except that an
 * empty body sent with `content-type: application/json` counts as no body on a route that takes none
 * — many HTTP clients send the header on every request. On a route whose body is required it stays
 * the 400 it always was, and a non-empty body is parsed and validated as usual.
 *
 * The body is read as bytes and decoded as UTF-8 strictly (RFC 8259 §8.1): bytes that are not UTF-8
 * are 400 VALIDATION_FAILED, where reading it as a string would put U+FFFD in their place and store
 * that (ADR 0027).
 */
export const installJsonBodyParser = (app: FastifyInstance): void => {
  const parseJson = app.getDefaultJsonParser('error', 'error');
  app.addContentTypeParser('application/json', { parseAs: 'buffer' }, (request, raw, done) => {
    const body = typeof raw === 'string' ? raw : decodeUtf8(raw);
    if (body === null) {
      done(
        new ValidationError('The request body is not UTF-8', [
          { path: '(body)', message: 'is not UTF-8 text (JSON must be UTF-8)' },
        ]),
        undefined,
      );
      return;
    }
    if (body.length === 0 && takesNoBody(request)) {
      done(null, undefined);
      return;
    }
    parseJson(request, body, done);
  });
};
