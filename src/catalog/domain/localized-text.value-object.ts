import type { FieldErrors } from './catalog.errors.js';
import type { CatalogRules } from './catalog.rules.js';

/** Text per locale; always holds the region's default locale. */
export type LocalizedText = Readonly<Record<string, string>>;

/** What callers send: a plain string (the default locale) or text per locale. */
export type LocalizedInput = string | Readonly<Record<string, string>>;

/** A change: a string sets the default locale; per locale, a string sets it and null removes it. */
export type LocalizedPatch = string | Readonly<Record<string, string | null>>;

export interface TextLimits {
  /** in code points, as the API counts lengths */
  maxLength: number;
  /** may a translation be the empty string (descriptions) */
  allowEmpty: boolean;
  /** collapse runs of whitespace (names) */
  singleLine: boolean;
}

const tidy = (value: string, limits: TextLimits): string =>
  limits.singleLine ? value.trim().replace(/\s+/g, ' ') : value.trim();

const checkLocales = (
  text: Record<string, string>,
  rules: CatalogRules,
  path: string,
  limits: TextLimits,
  errors: FieldErrors,
): LocalizedText => {
  for (const [locale, value] of Object.entries(text)) {
    if (!rules.locales.includes(locale)) {
      errors.add(`${path}.${locale}`, `is not a locale of this region (${rules.locales.join(', ')})`);
    } else if (!limits.allowEmpty && value.length === 0) {
      errors.add(`${path}.${locale}`, 'must not be empty');
    } else if ([...value].length > limits.maxLength) {
      errors.add(`${path}.${locale}`, `must be at most ${limits.maxLength} characters`);
    }
  }
  if (text[rules.defaultLocale] === undefined) {
    errors.add(`${path}.${rules.defaultLocale}`, 'the default locale is required');
  }
  return text;
};

/** Validates new localized text against the region's locales. */
export const localizedText = (
  input: LocalizedInput,
  rules: CatalogRules,
  path: string,
  limits: TextLimits,
  errors: FieldErrors,
): LocalizedText => {
  const raw: Record<string, string> =
    typeof input === 'string' ? { [rules.defaultLocale]: input } : { ...input };
  const text: Record<string, string> = {};
  for (const [locale, value] of Object.entries(raw)) text[locale] = tidy(value, limits);
  return checkLocales(text, rules, path, limits, errors);
};

/** Applies a change to localized text (merge per locale; null removes a translation). */
export const patchLocalizedText = (
  current: LocalizedText,
  patch: LocalizedPatch,
  rules: CatalogRules,
  path: string,
  limits: TextLimits,
  errors: FieldErrors,
): LocalizedText => {
  const next: Record<string, string> = { ...current };
  const entries: [string, string | null][] =
    typeof patch === 'string' ? [[rules.defaultLocale, patch]] : Object.entries(patch);
  for (const [locale, value] of entries) {
    if (value === null) delete next[locale];
    else next[locale] = tidy(value, limits);
  }
  return checkLocales(next, rules, path, limits, errors);
};

/** The text in `locale`, else in the default locale. */
export const resolveText = (text: LocalizedText, locale: string, defaultLocale: string): string =>
  text[locale] ?? text[defaultLocale] ?? '';

export const sameText = (a: LocalizedText, b: LocalizedText): boolean => {
  const ka = Object.keys(a);
  return ka.length === Object.keys(b).length && ka.every((k) => a[k] === b[k]);
};

/**
 * Keeps only the translations this region serves. For bulk loads (the demo seeder) whose data carries
 * every language of every region; the HTTP API instead rejects a locale the region does not have.
 */
export const keepRegionLocales = <T extends LocalizedInput | undefined>(
  text: T,
  locales: readonly string[],
): T => {
  if (text === undefined || typeof text === 'string') return text;
  return Object.fromEntries(Object.entries(text).filter(([locale]) => locales.includes(locale))) as T;
};
