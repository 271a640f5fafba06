import type { FieldErrors } from './catalog.errors.js';

export const SLUG_PATTERN = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;
export const SLUG_MAX_LENGTH = 100;
const UUID_SHAPE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/**
 * A URL slug: lower-kebab-case, at most 100 characters, and never shaped like a UUID (so that
 * `/products/:idOrSlug` is unambiguous). Returns the slug, or records what is wrong with it.
 */
export const checkSlug = (value: string, path: string, errors: FieldErrors): string => {
  if (value.length === 0 || value.length > SLUG_MAX_LENGTH) {
    errors.add(path, `must be 1-${SLUG_MAX_LENGTH} characters`);
  } else if (!SLUG_PATTERN.test(value)) {
    errors.add(path, 'must be lower-kebab-case (a-z, 0-9 and single hyphens)');
  } else if (UUID_SHAPE.test(value)) {
    errors.add(path, 'must not look like a UUID');
  }
  return value;
};
