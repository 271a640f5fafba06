import { AppError, ConflictError, UnauthenticatedError, ValidationError } from '../../platform/errors.js';

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

export class AccountErasedError extends AppError {
  constructor() {
    super('NOT_FOUND', 'This account no longer exists');
  }
}
