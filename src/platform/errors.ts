/**
 * Expected failures carry a stable machine code. The HTTP error handler maps codes to status
 * and problem+json; nothing else in the code base decides a status.
 */
export type ErrorCode =
  | 'VALIDATION_FAILED'
  | 'UNAUTHENTICATED'
  | 'PAYMENT_DECLINED'
  | 'FORBIDDEN'
  | 'NOT_FOUND'
  | 'CONFLICT'
  | 'OUT_OF_STOCK'
  | 'ILLEGAL_STATE_TRANSITION'
  | 'EMAIL_TAKEN'
  | 'IDEMPOTENCY_KEY_REUSED'
  | 'PAYLOAD_TOO_LARGE'
  | 'RATE_LIMITED'
  | 'UNAVAILABLE';

export interface FieldError {
  path: string;
  message: string;
}

export class AppError extends Error {
  readonly code: ErrorCode;
  readonly errors: FieldError[] | undefined;
  /** problem extension members (RFC 9457 §3.2), e.g. the `orderId` of a declined checkout */
  extensions: { orderId?: string } | undefined;
  constructor(code: ErrorCode, message: string, errors?: FieldError[]) {
    super(message);
    this.name = new.target.name;
    this.code = code;
    this.errors = errors;
  }
}

export class ValidationError extends AppError {
  constructor(message: string, errors: FieldError[]) {
    super('VALIDATION_FAILED', message, errors);
  }
}

export class UnauthenticatedError extends AppError {
  constructor(message = 'Authentication is required') {
    super('UNAUTHENTICATED', message);
  }
}

export class ForbiddenError extends AppError {
  constructor(message = 'You are not allowed to do this') {
    super('FORBIDDEN', message);
  }
}

export class NotFoundError extends AppError {
  constructor(what: string) {
    super('NOT_FOUND', `${what} was not found`);
  }
}

export class ConflictError extends AppError {
  constructor(
    message: string,
    code: 'CONFLICT' | 'EMAIL_TAKEN' | 'OUT_OF_STOCK' = 'CONFLICT',
    errors?: FieldError[],
  ) {
    super(code, message, errors);
  }
}

export class IllegalStateTransitionError extends AppError {
  constructor(entity: string, from: string, to: string) {
    super('ILLEGAL_STATE_TRANSITION', `${entity} cannot move from ${from} to ${to}`);
  }
}

export class RateLimitedError extends AppError {
  constructor(readonly retryAfterSeconds: number) {
    super('RATE_LIMITED', `Too many requests; retry in ${retryAfterSeconds} s`);
  }
}

export class UnavailableError extends AppError {
  constructor(message = 'A dependency is unavailable; try again shortly') {
    super('UNAVAILABLE', message);
  }
}

/** HTTP status per code; the only place that knows it. */
export const STATUS_BY_CODE: Record<ErrorCode, number> = {
  VALIDATION_FAILED: 400,
  UNAUTHENTICATED: 401,
  PAYMENT_DECLINED: 402,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  CONFLICT: 409,
  OUT_OF_STOCK: 409,
  ILLEGAL_STATE_TRANSITION: 409,
  EMAIL_TAKEN: 409,
  PAYLOAD_TOO_LARGE: 413,
  IDEMPOTENCY_KEY_REUSED: 422,
  RATE_LIMITED: 429,
  UNAVAILABLE: 503,
};
