import { ValidationError } from '../../platform/errors.js';

const EMAIL_RE = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/** Emails are compared case-insensitively and stored trimmed and lower-cased. */
export const normalizeEmail = (raw: string): string => {
  const email = raw.trim().toLowerCase();
  if (email.length > 254 || !EMAIL_RE.test(email)) {
    throw new ValidationError('The email is invalid', [
      { path: 'email', message: 'must be an email address' },
    ]);
  }
  return email;
};
