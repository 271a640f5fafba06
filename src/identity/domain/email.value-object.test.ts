import { describe, expect, it } from 'vitest';
import { ValidationError } from '../../platform/errors.js';
import { normalizeEmail } from './email.value-object.js';

describe('normalizeEmail', () => {
  it('trims and lower-cases', () => {
    expect(normalizeEmail('  Ada.Lovelace+shop@Example.COM\t')).toBe('ada.lovelace+shop@example.com');
  });

  it('maps differently cased spellings to the same value', () => {
    expect(normalizeEmail('ADA@EXAMPLE.COM')).toBe(normalizeEmail('ada@example.com'));
  });

  it.each([
    ['empty', ''],
    ['no at sign', 'ada.example.com'],
    ['no domain dot', 'ada@example'],
    ['nothing before @', '@example.com'],
    ['inner space', 'ada lovelace@example.com'],
    ['two at signs', 'ada@foo@example.com'],
    ['only spaces', '   '],
  ])('rejects %s', (_label, raw) => {
    expect(() => normalizeEmail(raw)).toThrow(ValidationError);
  });

  it('reports the email field as the offender', () => {
    try {
      normalizeEmail('nope');
      expect.unreachable('should have thrown');
    } catch (err) {
      expect((err as ValidationError).code).toBe('VALIDATION_FAILED');
      expect((err as ValidationError).errors).toEqual([
        { path: 'email', message: 'must be an email address' },
      ]);
    }
  });

  it('accepts 254 characters and rejects 255', () => {
    const domain = '@example.com'; // 12 characters
    const ok = `${'a'.repeat(254 - domain.length)}${domain}`;
    expect(ok).toHaveLength(254);
    expect(normalizeEmail(ok)).toBe(ok);
    expect(() => normalizeEmail(`a${ok}`)).toThrow(ValidationError);
  });

  it('measures the length after trimming', () => {
    const domain = '@example.com';
    const ok = `${'a'.repeat(254 - domain.length)}${domain}`;
    expect(normalizeEmail(`   ${ok}   `)).toBe(ok);
  });
});
