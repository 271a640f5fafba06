import { WeakPasswordError } from './identity.errors.js';

export const PASSWORD_MIN_LENGTH = 10;
export const PASSWORD_MAX_LENGTH = 256;

/** Nothing but whitespace (JavaScript's `\s`: Unicode White_Space and the line terminators, as `trim()` strips). */
const ONLY_WHITESPACE = /^\s*$/;

/**
 * At least 10 characters (NIST 800-63B style: length over composition rules), at most 256, and not
 * whitespace alone. Spaces inside a password are fine (passphrases); ten spaces are not a secret.
 */
export const assertPasswordPolicy = (password: string): void => {
  const length = [...password].length; // code points, as the API counts lengths
  if (length < PASSWORD_MIN_LENGTH) {
    throw new WeakPasswordError(`must be at least ${PASSWORD_MIN_LENGTH} characters`);
  }
  if (length > PASSWORD_MAX_LENGTH) {
    throw new WeakPasswordError(`must be at most ${PASSWORD_MAX_LENGTH} characters`);
  }
  if (ONLY_WHITESPACE.test(password)) {
    throw new WeakPasswordError('must not be only whitespace');
  }
};
