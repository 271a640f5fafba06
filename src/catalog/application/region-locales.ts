import type { LocalizedInput } from '../domain/localized-text.value-object.js';

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
