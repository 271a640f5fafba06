import type { FastifyInstance } from 'fastify';
import { type FieldError, ValidationError } from '../errors.js';

/**
 * What a client sends is UTF-8 (docs/architecture.md, "Input rules"; ADR 0027): a request body or a
 * query string whose bytes are not — a malformed percent-escape (`%ZZ`), an encoded lone surrogate
 * (`%ED%A0%80`), an overlong form, a stray continuation byte — is 400 VALIDATION_FAILED, never read
 * with U+FFFD in place of what it could not decode (stored as such) nor passed on as the raw escape.
 */

/** WHATWG's UTF-8 decoder in fatal mode: surrogates, overlong forms and truncated sequences throw. */
const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/** The text of UTF-8 bytes, or null when they are not UTF-8. A BOM is kept, as a string read keeps it. */
export const decodeUtf8 = (bytes: Uint8Array): string | null => {
  try {
    return utf8.decode(bytes);
  } catch {
    return null;
  }
};

const PERCENT_RUN = /(?:%[0-9A-Fa-f]{2})+/g;
const STRAY_PERCENT = /%(?![0-9A-Fa-f]{2})/;

/**
 * One key or value of a query string decoded as `application/x-www-form-urlencoded` says (`+` is a
 * space, `%XX` a byte, the bytes UTF-8), or null when a `%` is not followed by two hex digits or the
 * bytes are not UTF-8.
 */
export const decodeQueryComponent = (raw: string): string | null => {
  const plain = raw.includes('+') ? raw.replaceAll('+', ' ') : raw;
  if (!plain.includes('%')) return plain;
  if (STRAY_PERCENT.test(plain)) return null;
  let bad = false;
  const decoded = plain.replace(PERCENT_RUN, (run) => {
    const bytes = Uint8Array.from(run.slice(1).split('%'), (h) => Number.parseInt(h, 16));
    const text = decodeUtf8(bytes);
    if (text === null) bad = true;
    return text ?? '';
  });
  return bad ? null : decoded;
};

/** Where the parser leaves the parameters it could not decode, for the hook below to refuse. */
const MALFORMED = Symbol('shopcore.malformedQuery');

type ParsedQuery = Record<string, string | string[]> & { [MALFORMED]?: FieldError[] };

/**
 * The query string parser (Fastify `routerOptions.querystringParser`): Fastify's own rules — pairs
 * split on `&` and the first `=`, a repeated name gives an array, an object without a prototype —
 * with strict decoding. A parser cannot fail a request (it runs inside routing), so what it could not
 * decode is noted on the result and `refuseMalformedQueries` answers 400 naming each parameter.
 */
export const parseQueryString = (query: string): ParsedQuery => {
  const result = Object.create(null) as ParsedQuery;
  if (query.length === 0) return result;
  let malformed: FieldError[] | undefined;
  for (const pair of query.split('&')) {
    if (pair.length === 0) continue;
    const eq = pair.indexOf('=');
    const rawKey = eq === -1 ? pair : pair.slice(0, eq);
    const rawValue = eq === -1 ? '' : pair.slice(eq + 1);
    const key = decodeQueryComponent(rawKey);
    const value = decodeQueryComponent(rawValue);
    if (key === null || value === null) {
      malformed ??= [];
      malformed.push({
        path: `query.${key ?? rawKey}`,
        message:
          key === null
            ? 'the parameter name is not percent-encoded UTF-8'
            : 'is not percent-encoded UTF-8 (a malformed %-escape, or bytes that are not UTF-8)',
      });
      continue;
    }
    const current = result[key];
    if (current === undefined) result[key] = value;
    else if (Array.isArray(current)) current.push(value);
    else result[key] = [current, value];
  }
  if (malformed) Object.defineProperty(result, MALFORMED, { value: malformed, enumerable: false });
  return result;
};

/**
 * Refuses, on every route and before anything reads it, a request whose query string
 * `parseQueryString` could not decode: 400 VALIDATION_FAILED naming each such parameter.
 */
export const refuseMalformedQueries = (app: FastifyInstance): void => {
  // a callback hook: no promise per request on the hot read paths
  app.addHook('onRequest', (request, _reply, done) => {
    const malformed = (request.query as ParsedQuery | null | undefined)?.[MALFORMED];
    done(
      malformed ? new ValidationError('The query string is not percent-encoded UTF-8', malformed) : undefined,
    );
  });
};
