import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { codePointLength, INSTANT_PATTERN, instant, parseInstant, queryInteger, text } from './input.js';

const messages = (schema: z.ZodType, value: unknown): string[] => {
  const r = schema.safeParse(value);
  return r.success ? [] : r.error.issues.map((i) => i.message);
};
const jsonSchema = (schema: z.ZodType) =>
  z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as Record<string, unknown>;

/** What a JSON Schema validator (ajv: patterns with the u flag, lengths in code points) says of a value. */
const documentAccepts = (doc: Record<string, unknown>, value: string): boolean =>
  new RegExp(String(doc.pattern), 'u').test(value) &&
  codePointLength(value) >= Number(doc.minLength ?? 0) &&
  codePointLength(value) <= Number(doc.maxLength ?? Number.POSITIVE_INFINITY);

const C0 = Array.from({ length: 0x20 }, (_, i) => String.fromCharCode(i));
const C1 = Array.from({ length: 0x20 }, (_, i) => String.fromCharCode(0x80 + i));
const FORBIDDEN_SINGLE_LINE = [...C0, '\u007f', ...C1];
const FORBIDDEN_MULTI_LINE = FORBIDDEN_SINGLE_LINE.filter((c) => !['\t', '\n', '\r'].includes(c));

describe('text()', () => {
  const name = text({ max: 5 });

  it('rejects every C0 control, DEL and C1 control in single-line text, naming the character', () => {
    for (const c of FORBIDDEN_SINGLE_LINE) {
      const found = `U+${c.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}`;
      expect(messages(name, `a${c}b`), found).toEqual([expect.stringContaining(found)]);
    }
  });

  it('allows TAB, LF and CR in multi-line text, and nothing else of the controls', () => {
    const description = text({ max: 20, min: 0, multiline: true });
    expect(description.parse('line one\n\tline two\r\n')).toBe('line one\n\tline two');
    for (const c of FORBIDDEN_MULTI_LINE) expect(messages(description, `a${c}b`)).toHaveLength(1);
  });

  it('rejects unpaired surrogates and accepts paired ones', () => {
    for (const bad of ['\ud800', 'a\udbffb', '\udc00', 'x\udfff', '\udc00\ud800']) {
      expect(messages(name, bad)).toEqual([expect.stringContaining('unpaired UTF-16 surrogates')]);
    }
    expect(name.parse('a😀b')).toBe('a😀b');
  });

  it('counts length in code points, as JSON Schema does: five emoji fit max 5, six do not', () => {
    expect(name.parse('😀🎉👍🏽')).toBe('😀🎉👍🏽'); // 4 code points (👍🏽 is two), 8 UTF-16 units
    expect(name.parse('😀😀😀😀😀')).toBe('😀😀😀😀😀');
    expect(messages(name, '😀😀😀😀😀😀')).toEqual(['must be at most 5 characters']);
    expect(messages(text({ max: 10, min: 3, trim: false }), '😀😀')).toEqual([
      'must be at least 3 characters',
    ]);
  });

  it('checks the value as sent, then trims; a required field must not be blank', () => {
    expect(name.parse(' ab ')).toBe('ab');
    expect(messages(name, '  abcd ')).toEqual(['must be at most 5 characters']);
    for (const blank of ['', '   ']) expect(messages(name, blank)).toEqual(['must not be empty']);
    expect(text({ max: 5, min: 0 }).parse('  ')).toBe('');
    expect(text({ max: 5, trim: false }).parse(' a ')).toBe(' a ');
  });

  it('checks a pattern on the value as sent and documents it as the pattern', () => {
    const sku = text({ max: 8, pattern: /^[A-Z0-9-]+$/, patternMessage: 'must be a SKU' });
    expect(sku.parse('AB-1')).toBe('AB-1');
    expect(messages(sku, 'ab 1')).toEqual(['must be a SKU']);
    expect(messages(sku, 'AB\u00001')).toEqual([expect.stringContaining('control characters')]);
    expect(jsonSchema(sku)).toMatchObject({
      type: 'string',
      minLength: 1,
      maxLength: 8,
      pattern: '^[A-Z0-9-]+$',
    });
    // documented, left to the domain
    expect(text({ max: 8, pattern: /^[A-Z]+$/, checkPattern: false }).parse('ab')).toBe('ab');
  });

  it('refuses a pattern with flags, which the document could not state', () => {
    expect(() => text({ max: 8, pattern: /^[a-z]+$/i })).toThrow(/flags/);
  });

  it('answers a non-string with its type message', () => {
    expect(messages(text({ max: 3, typeMessage: 'must be a SKU' }), 42)).toEqual(['must be a SKU']);
  });

  it('documents the same rules the server applies: for any well-formed string both agree', () => {
    const alphabet = fc.constantFrom(
      'a',
      'Z',
      ' ',
      '\t',
      '\n',
      '\r',
      '\u0000',
      '\u001f',
      '\u007f',
      '\u0085',
      '\u00a0',
      'é',
      '😀',
      '\u2028',
    );
    const schemas = [
      text({ max: 6 }),
      text({ max: 6, min: 0 }),
      text({ max: 6, min: 2, trim: false }),
      text({ max: 6, min: 0, multiline: true }),
      text({ max: 6, multiline: true }),
    ];
    for (const schema of schemas) {
      const doc = jsonSchema(schema);
      fc.assert(
        fc.property(fc.string({ unit: alphabet, maxLength: 9 }), (value) => {
          expect(schema.safeParse(value).success, JSON.stringify(value)).toBe(documentAccepts(doc, value));
        }),
        { numRuns: 500 },
      );
    }
  });
});

describe('queryInteger()', () => {
  const limit = queryInteger({ min: 1, max: 100 }).default(20);
  const offset = queryInteger({ min: -5, max: 5 }).optional();

  it('reads decimal digits only', () => {
    expect(limit.parse('16')).toBe(16);
    expect(limit.parse('007')).toBe(7);
    expect(limit.parse(undefined)).toBe(20);
    for (const bad of ['0x10', '', ' 7', '7 ', '+5', '1e2', '1.0', '-1', '1_0', 'Infinity', '٣']) {
      expect(messages(limit, bad), JSON.stringify(bad)).toEqual(['must be a whole number (decimal digits)']);
    }
    expect(messages(limit, ['1', '2'])).toHaveLength(1);
  });

  it('checks the range, and takes a sign only where the range is signed', () => {
    expect(messages(limit, '0')).toEqual(['must be from 1 to 100']);
    expect(messages(limit, '101')).toEqual(['must be from 1 to 100']);
    expect(offset.parse('-5')).toBe(-5);
    expect(messages(offset, '-6')).toEqual(['must be from -5 to 5']);
    expect(messages(offset, '--1')).toEqual(['must be an integer (decimal digits)']);
  });

  it('is documented as an integer with its range and default', () => {
    expect(jsonSchema(z.object({ limit }))).toMatchObject({
      properties: { limit: { type: 'integer', minimum: 1, maximum: 100, default: 20 } },
    });
  });

  it('accepts exactly the strings of digits within the range', () => {
    fc.assert(
      fc.property(
        fc.oneof(fc.string({ maxLength: 4 }), fc.integer({ min: -10, max: 200 }).map(String)),
        (value) => {
          const expected = /^[0-9]+$/.test(value) && Number(value) >= 1 && Number(value) <= 100;
          expect(limit.safeParse(value).success, JSON.stringify(value)).toBe(expected);
        },
      ),
    );
  });
});

describe('instant()', () => {
  const at = instant();
  const doc = jsonSchema(at);
  const pad = (n: number, width = 2) => String(n).padStart(width, '0');
  /** Does this calendar day exist (proleptic Gregorian)? Worked out by Date, not by the pattern. */
  const dayExists = (y: number, m: number, d: number) => {
    const probe = new Date(0);
    probe.setUTCFullYear(y, m - 1, d);
    return probe.getUTCFullYear() === y && probe.getUTCMonth() === m - 1 && probe.getUTCDate() === d;
  };

  it('reads instants with Z or an offset, seconds and fractions optional, into the Date they name', () => {
    expect(at.parse('2026-03-01T12:00:00Z').toISOString()).toBe('2026-03-01T12:00:00.000Z');
    expect(at.parse('2026-03-01T12:00Z').toISOString()).toBe('2026-03-01T12:00:00.000Z');
    expect(at.parse('2026-03-01T13:30:15.123456789+01:30').toISOString()).toBe('2026-03-01T12:00:15.123Z');
    expect(at.parse('2026-03-01T00:00:00-05:00').toISOString()).toBe('2026-03-01T05:00:00.000Z');
    expect(at.parse('2024-02-29T00:00:00Z').toISOString()).toBe('2024-02-29T00:00:00.000Z');
    expect(at.parse('2000-02-29T00:00:00Z').toISOString()).toBe('2000-02-29T00:00:00.000Z');
    // years 0–99 are those years, not 1900–1999 (Date.UTC's reading)
    expect(at.parse('0050-06-01T00:00:00Z').getUTCFullYear()).toBe(50);
  });

  it('refuses impossible dates and times, naming the format', () => {
    for (const bad of [
      '2026-02-30T00:00:00Z',
      '2026-02-29T00:00:00Z',
      '1900-02-29T00:00:00Z',
      '2026-04-31T00:00:00Z',
      '2026-13-01T00:00:00Z',
      '2026-00-10T00:00:00Z',
      '2026-03-00T00:00:00Z',
      '2026-03-01T24:00:00Z',
      '2026-03-01T12:60:00Z',
      '2026-03-01T12:00:60Z',
      '2026-03-01T12:00:00+24:00',
      '2026-03-01T12:00:00',
      '2026-03-01',
      '2026-03-01t12:00:00z',
      '2026-03-01T12:00:00.1234567890Z',
      'x',
    ]) {
      expect(messages(at, bad), bad).toEqual([expect.stringContaining('ISO-8601 instant')]);
      expect(documentAccepts(doc, bad), bad).toBe(false);
    }
  });

  it('is documented with the pattern the server checks, and both agree with the calendar', () => {
    expect(doc).toMatchObject({ type: 'string', pattern: INSTANT_PATTERN.source, maxLength: 40 });
    fc.assert(
      fc.property(
        fc.record({
          y: fc.oneof(fc.integer({ min: 0, max: 9999 }), fc.constantFrom(0, 100, 1900, 2000, 2024, 2100)),
          m: fc.integer({ min: 0, max: 13 }),
          d: fc.integer({ min: 0, max: 32 }),
          h: fc.integer({ min: 0, max: 25 }),
          mi: fc.integer({ min: 0, max: 61 }),
          s: fc.option(fc.integer({ min: 0, max: 61 })),
          frac: fc.option(fc.stringMatching(/^[0-9]{1,10}$/)),
          zone: fc.oneof(
            fc.constant('Z'),
            fc.record({
              sign: fc.constantFrom('+', '-'),
              h: fc.integer({ min: 0, max: 25 }),
              m: fc.integer({ min: 0, max: 61 }),
            }),
          ),
        }),
        ({ y, m, d, h, mi, s, frac, zone }) => {
          const seconds = s === null ? '' : `:${pad(s)}${frac === null ? '' : `.${frac}`}`;
          const z = typeof zone === 'string' ? zone : `${zone.sign}${pad(zone.h)}:${pad(zone.m)}`;
          const value = `${pad(y, 4)}-${pad(m)}-${pad(d)}T${pad(h)}:${pad(mi)}${seconds}${z}`;
          const valid =
            m >= 1 &&
            m <= 12 &&
            dayExists(y, m, d) &&
            h <= 23 &&
            mi <= 59 &&
            (s ?? 0) <= 59 &&
            (s === null || (frac?.length ?? 0) <= 9) &&
            (typeof zone === 'string' || (zone.h <= 23 && zone.m <= 59));
          expect(at.safeParse(value).success, value).toBe(valid);
          expect(documentAccepts(doc, value), value).toBe(valid);
          if (valid) {
            // ECMAScript's own date-time string format (milliseconds, ±HH:mm) names the same instant
            const ms = (s === null ? '' : (frac ?? '')).padEnd(3, '0').slice(0, 3);
            const iso = `${pad(y, 4)}-${pad(m)}-${pad(d)}T${pad(h)}:${pad(mi)}:${pad(s ?? 0)}.${ms}${z}`;
            expect(parseInstant(value)!.getTime(), value).toBe(Date.parse(iso));
          }
        },
      ),
      { numRuns: 2000 },
    );
  });
});
