import { z } from 'zod';

/**
 * Schemas for what clients send, shared by every route: `text()` for strings and `queryInteger()` for
 * integers in query strings. Route schemas use these instead of bare `z.string()` / `z.coerce`, so
 * the server checks exactly what the OpenAPI document says (docs/architecture.md, "Input rules").
 *
 * The text rules of the API:
 *
 * Every string a client sends is Unicode text that PostgreSQL can store and that the business wants:
 *
 * - no C0 control characters (U+0000–U+001F), no DEL (U+007F), no C1 controls (U+0080–U+009F);
 *   multi-line text (product descriptions) may hold TAB, LF and CR;
 * - no unpaired UTF-16 surrogates (`"\ud800"` in JSON): they are not characters, PostgreSQL's jsonb
 *   rejects them and UTF-8 cannot carry them;
 * - lengths are counted in Unicode code points, as JSON Schema's `minLength`/`maxLength` count them,
 *   so an emoji is one character whatever its UTF-16 length;
 * - text fields are trimmed after these checks; a required one must not be blank.
 *
 * Violations are 400 VALIDATION_FAILED naming the field. The OpenAPI document states the same rules:
 * `minLength`/`maxLength`, and a `pattern` that excludes the control characters (or the field's own
 * pattern, which must admit none of them). Unpaired surrogates cannot be put in a portable pattern;
 * JSON Schema treats strings as code points, so they are said in words.
 */

/** The control characters no text may hold; multi-line text may hold TAB, LF and CR. */
const SINGLE_LINE_FORBIDDEN = '\\u0000-\\u001F\\u007F-\\u009F';
const MULTI_LINE_FORBIDDEN = '\\u0000-\\u0008\\u000B\\u000C\\u000E-\\u001F\\u007F-\\u009F';

const SINGLE_LINE_CONTROL = new RegExp(`[${SINGLE_LINE_FORBIDDEN}]`);
const MULTI_LINE_CONTROL = new RegExp(`[${MULTI_LINE_FORBIDDEN}]`);
/** A high surrogate not followed by a low one, or a low one not preceded by a high one. */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** Code points, as JSON Schema counts string length. */
export const codePointLength = (value: string): number => {
  let n = 0;
  for (const _ of value) n++;
  return n;
};

const hex = (c: string) => `U+${(c.codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, '0')}`;

/** Why a string breaks the text rules, or null. */
export const textProblem = (value: string, multiline = false): string | null => {
  const control = (multiline ? MULTI_LINE_CONTROL : SINGLE_LINE_CONTROL).exec(value);
  if (control) {
    return multiline
      ? `must not contain control characters (found ${hex(control[0])}; TAB, LF and CR are allowed)`
      : `must not contain control characters or line breaks (found ${hex(control[0])})`;
  }
  if (LONE_SURROGATE.test(value)) return 'must not contain unpaired UTF-16 surrogates (not Unicode text)';
  return null;
};

/** The JSON Schema pattern of the text rules: no forbidden control character anywhere (and not blank). */
const rulePattern = (multiline: boolean, notBlank: boolean): string => {
  const forbidden = multiline ? MULTI_LINE_FORBIDDEN : SINGLE_LINE_FORBIDDEN;
  return notBlank ? `^[^${forbidden}]*[^\\s${forbidden}][^${forbidden}]*$` : `^[^${forbidden}]*$`;
};

export interface TextOptions {
  /** most code points */
  max: number;
  /** fewest code points; default 1 (not empty, and when trimmed not blank), 0 allows "" */
  min?: number;
  /** may hold TAB, LF and CR (descriptions); default false */
  multiline?: boolean;
  /** trim surrounding whitespace after the checks; default true unless a pattern is given */
  trim?: boolean;
  /**
   * A pattern the value must match, documented as the field's `pattern`. It must admit no control
   * character (ASCII-class patterns such as SKUs and slugs do not), and has no flags: JSON Schema
   * patterns have none, so the server tests exactly what the document says.
   */
  pattern?: RegExp;
  /** the message when `pattern` does not match */
  patternMessage?: string;
  /**
   * false: the pattern is documented but checked by the domain, which lists its errors together with
   * the other business rules of the request (catalog SKUs); the 400 names the same field either way
   */
  checkPattern?: boolean;
  /** the message when the value is not a string at all */
  typeMessage?: string;
}

/**
 * A string field of a request (body, query, params, headers): the text rules above plus the field's
 * own length and pattern, all checked on the value as sent, the way the OpenAPI document states
 * them; trimming comes after.
 *
 * `text({ max: 200 })` — single-line, not blank, at most 200 code points, trimmed;
 * `text({ max: 10_000, min: 0, multiline: true })` — a description;
 * `text({ max: 64, pattern: SKU_PATTERN, patternMessage: 'must be a SKU' })` — a code.
 */
export const text = (opts: TextOptions) => {
  const { max, pattern, multiline = false } = opts;
  const trim = opts.trim ?? !pattern;
  const min = opts.min ?? 1;
  const notBlank = trim && min > 0;
  if (pattern?.flags) throw new Error(`text(): pattern ${pattern} has flags, which JSON Schema cannot state`);

  const checked = z.string(opts.typeMessage ?? 'must be a string').superRefine((value, ctx) => {
    const fail = (message: string) => ctx.addIssue({ code: 'custom', message });
    const problem = textProblem(value, multiline);
    if (problem) return fail(problem);
    const length = codePointLength(value);
    if (length > max) return fail(`must be at most ${max} characters`);
    if (length < min || (notBlank && value.trim() === '')) {
      return fail(min <= 1 ? 'must not be empty' : `must be at least ${min} characters`);
    }
    if (pattern && opts.checkPattern !== false && !pattern.test(value))
      return fail(opts.patternMessage ?? 'has an invalid format');
  });
  return (trim ? checked.trim() : checked).meta({
    ...(min > 0 ? { minLength: min } : {}),
    maxLength: max,
    pattern: pattern ? pattern.source : rulePattern(multiline, notBlank),
  });
};

export interface QueryIntegerOptions {
  min: number;
  max: number;
  /** the message for a value out of range; default "must be from <min> to <max>" */
  rangeMessage?: string;
}

const DIGITS = /^[0-9]{1,16}$/;
const SIGNED_DIGITS = /^-?[0-9]{1,16}$/;

/**
 * An integer query parameter, read strictly: decimal digits only (a leading "-" only where the range
 * allows negatives; leading zeros are harmless and allowed). `0x10`, `1e3`, `+5`, ` 7`, `1.0` and an
 * empty value (`?limit=`) are 400 — leave the parameter out to get its default. `z.coerce.number()`
 * would read `0x10` as 16 and `` as 0. Chain `.optional()` or `.default(n)` as usual.
 */
export const queryInteger = (opts: QueryIntegerOptions) => {
  const { min, max } = opts;
  const lexical = min < 0 ? SIGNED_DIGITS : DIGITS;
  const message = min < 0 ? 'must be an integer (decimal digits)' : 'must be a whole number (decimal digits)';
  const range = opts.rangeMessage ?? `must be from ${min} to ${max}`;
  const parsed = z
    .string(message)
    .superRefine((value, ctx) => {
      if (!lexical.test(value)) ctx.addIssue({ code: 'custom', message });
    })
    // a pipe without a transform: the document keeps the default (zod drops defaults of transforms)
    .pipe(
      z.coerce.number<string>().superRefine((n, ctx) => {
        if (n < min || n > max) ctx.addIssue({ code: 'custom', message: range });
      }),
    );
  return parsed.meta({ type: 'integer', minimum: min, maximum: max });
};

// ---- instants ----------------------------------------------------------------------------------

const YEAR = '[0-9]{4}';
/** Leap years of the proleptic Gregorian calendar: divisible by 4 and not by 100, or by 400 (0000 too). */
const LEAP_YEAR = '(?:[0-9]{2}(?:0[48]|[2468][048]|[13579][26])|(?:[02468][048]|[13579][26])00)';
const CALENDAR_DATE =
  `(?:${LEAP_YEAR}-02-29` +
  `|${YEAR}-(?:(?:0[13578]|1[02])-(?:0[1-9]|[12][0-9]|3[01])` +
  '|(?:0[469]|11)-(?:0[1-9]|[12][0-9]|30)' +
  '|02-(?:0[1-9]|1[0-9]|2[0-8])))';
const TIME_OF_DAY = '(?:[01][0-9]|2[0-3]):[0-5][0-9](?::[0-5][0-9](?:\\.[0-9]{1,9})?)?';
const ZONE = '(?:Z|[+-](?:[01][0-9]|2[0-3]):[0-5][0-9])';

/**
 * An ISO-8601 instant as the API reads it in query strings: a calendar date that exists (no 30
 * February, 29 February only in leap years), a time of day (seconds and up to nine fractional digits
 * optional, no 24:00, no leap second) and `Z` or an offset. The server tests exactly this pattern and
 * the document states it, so a fuzzer finds no value one accepts and the other refuses.
 */
export const INSTANT_PATTERN = new RegExp(`^${CALENDAR_DATE}T${TIME_OF_DAY}${ZONE}$`);
const INSTANT_PARTS =
  /^([0-9]{4})-([0-9]{2})-([0-9]{2})T([0-9]{2}):([0-9]{2})(?::([0-9]{2})(?:\.([0-9]{1,9}))?)?(Z|([+-])([0-9]{2}):([0-9]{2}))$/;
const INSTANT_MESSAGE = 'must be an ISO-8601 instant with a time zone, e.g. 2026-03-01T12:00:00Z';

/** The instant an `INSTANT_PATTERN` string names (milliseconds kept, finer digits dropped), or null. */
export const parseInstant = (value: string): Date | null => {
  if (!INSTANT_PATTERN.test(value)) return null;
  const m = INSTANT_PARTS.exec(value);
  if (!m) return null;
  const [y, mo, d, h, mi, s] = [m[1], m[2], m[3], m[4], m[5], m[6] ?? '0'].map(Number) as number[];
  const ms = Number((m[7] ?? '0').padEnd(3, '0').slice(0, 3));
  const offsetMinutes = m[8] === 'Z' ? 0 : (m[9] === '-' ? -1 : 1) * (Number(m[10]) * 60 + Number(m[11]));
  const at = new Date(0);
  // setUTCFullYear, not Date.UTC: Date.UTC reads years 0–99 as 1900–1999
  at.setUTCFullYear(y!, mo! - 1, d!);
  at.setUTCHours(h!, mi!, s!, ms);
  return new Date(at.getTime() - offsetMinutes * 60_000);
};

/**
 * An instant in a query string (`?from=2026-03-01T00:00:00Z`), parsed to a Date. Documented as a
 * string with `INSTANT_PATTERN`, which is all the server checks. Chain `.optional()` as usual; in an
 * object refinement, a field that failed is still its raw string, so compare only `instanceof Date`.
 */
export const instant = () =>
  text({ max: 40, pattern: INSTANT_PATTERN, patternMessage: INSTANT_MESSAGE }).transform((value, ctx) => {
    const at = parseInstant(value);
    if (at) return at;
    ctx.addIssue({ code: 'custom', message: INSTANT_MESSAGE });
    return z.NEVER;
  });

/** The alphabet of the opaque cursors this API hands out (base64url, no padding). */
export const BASE64URL = /^[A-Za-z0-9_-]+$/;
