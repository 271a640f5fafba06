import {
  AppError,
  ConflictError,
  ForbiddenError,
  UnauthenticatedError,
  ValidationError,
} from '../../platform/errors.js';

export class EmailTakenError extends ConflictError {
  constructor() {
    super('An account with this email already exists', 'EMAIL_TAKEN');
  }
}

/** Same answer whether or not the email exists, so it cannot be used to probe for accounts. */
export class InvalidCredentialsError extends UnauthenticatedError {
  constructor() {
    super('The email or password is wrong');
  }
}

export class InvalidRefreshTokenError extends UnauthenticatedError {
  constructor(reason = 'The refresh token is invalid, expired or revoked') {
    super(reason);
  }
}

export class WeakPasswordError extends ValidationError {
  constructor(message: string) {
    super('The password does not meet the policy', [{ path: 'password', message }]);
  }
}

/** Changing the login email takes the current password. */
export class CurrentPasswordRequiredError extends ValidationError {
  constructor() {
    super('The current password is required to change the email', [
      { path: 'currentPassword', message: 'is required to change the email' },
    ]);
  }
}

/**
 * The current password given with a change is wrong. 403, not 401: the bearer token is valid (a 401
 * would tell the client to drop or refresh its session), the caller may just not do this without it.
 */
export class WrongPasswordError extends ForbiddenError {
  constructor() {
    super('The current password is wrong');
  }
}

export class AccountErasedError extends AppError {
  constructor() {
    super('NOT_FOUND', 'This account no longer exists');
  }
}
