import { z } from 'zod';
import type { ErrorCode, FieldError } from '../errors.js';

/** RFC 9457 problem details, the body of every error response. */
export const problemSchema = z
  .object({
    type: z.string(),
    title: z.string(),
    status: z.number().int(),
    detail: z.string(),
    code: z.string(),
    requestId: z.string(),
    errors: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
    /** checkout problems: the order the request created (a declined payment, an expired reservation) */
    orderId: z.uuid().optional(),
  })
  .meta({ id: 'Problem' });

export type Problem = z.infer<typeof problemSchema>;

const TITLES: Record<string, string> = {
  VALIDATION_FAILED: 'Validation failed',
  UNAUTHENTICATED: 'Authentication required',
  PAYMENT_DECLINED: 'Payment declined',
  FORBIDDEN: 'Forbidden',
  NOT_FOUND: 'Not found',
  CONFLICT: 'Conflict',
  OUT_OF_STOCK: 'Out of stock',
  ILLEGAL_STATE_TRANSITION: 'Illegal state transition',
  EMAIL_TAKEN: 'Email already registered',
  IDEMPOTENCY_KEY_REUSED: 'Idempotency key reused',
  PAYLOAD_TOO_LARGE: 'Payload too large',
  UNSUPPORTED_MEDIA_TYPE: 'Unsupported media type',
  METHOD_NOT_ALLOWED: 'Method not allowed',
  RATE_LIMITED: 'Too many requests',
  UNAVAILABLE: 'Service unavailable',
  INTERNAL: 'Internal error',
};

export const problem = (
  status: number,
  code: ErrorCode | 'INTERNAL' | 'UNSUPPORTED_MEDIA_TYPE' | 'METHOD_NOT_ALLOWED',
  detail: string,
  requestId: string,
  errors?: FieldError[],
  extensions?: { orderId?: string },
): Problem => ({
  type: `https://shopcore.dev/problems/${code.toLowerCase().replace(/_/g, '-')}`,
  title: TITLES[code] ?? 'Error',
  status,
  detail,
  code,
  requestId,
  ...(errors && errors.length > 0 ? { errors } : {}),
  ...(extensions?.orderId ? { orderId: extensions.orderId } : {}),
});

/**
 * Response schemas for the errors of a route's own logic (a 409 for a taken email), for the OpenAPI
 * document, which renders them as `application/problem+json`. The statuses every route of a shape
 * can answer (400, 401, 413, 429, ...) need not be listed: `openapi.ts` derives them.
 */
export const problemResponses = (...statuses: number[]): Record<number, typeof problemSchema> =>
  Object.fromEntries(statuses.map((s) => [s, problemSchema]));
