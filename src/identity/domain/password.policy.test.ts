import { describe, expect, it } from 'vitest';
import { WeakPasswordError } from './identity.errors.js';
import { assertPasswordPolicy, PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH } from './password.policy.js';

const rejection = (password: string): WeakPasswordError => {
  try {
    assertPasswordPolicy(password);
  } catch (err) {
    if (err instanceof WeakPasswordError) return err;
    throw err;
  }
  throw new Error('expected the password to be rejected');
};

describe('assertPasswordPolicy', () => {
  it('has the documented bounds', () => {
    expect(PASSWORD_MIN_LENGTH).toBe(10);
    expect(PASSWORD_MAX_LENGTH).toBe(256);
  });

  it('accepts exactly 10 characters without composition rules', () => {
    expect(() => assertPasswordPolicy('aaaaaaaaaa')).not.toThrow();
    expect(() => assertPasswordPolicy('correct horse battery staple')).not.toThrow();
  });

  it('rejects 9 characters with a VALIDATION_FAILED error on the password field', () => {
    const err = rejection('123456789');
    expect(err.code).toBe('VALIDATION_FAILED');
    expect(err.errors).toEqual([{ path: 'password', message: 'must be at least 10 characters' }]);
  });

  it('rejects the empty password', () => {
    expect(rejection('').errors?.[0]?.path).toBe('password');
  });

  it('counts characters, not UTF-16 code units', () => {
    // 9 emoji are 18 code units but only 9 characters: too short
    expect(rejection('😀'.repeat(9)).errors?.[0]?.message).toMatch(/at least 10/);
    expect(() => assertPasswordPolicy('😀'.repeat(10))).not.toThrow();
    expect(() => assertPasswordPolicy('pässwörtér')).not.toThrow();
  });

  it('accepts 256 characters and rejects 257', () => {
    expect(() => assertPasswordPolicy('x'.repeat(256))).not.toThrow();
    expect(rejection('x'.repeat(257)).errors).toEqual([
      { path: 'password', message: 'must be at most 256 characters' },
    ]);
  });

  it('rejects a password of only whitespace, whatever its length and kind of space', () => {
    for (const blank of [
      ' '.repeat(10),
      ' '.repeat(256),
      '\t'.repeat(12),
      '\u00a0'.repeat(10),
      '\u3000 \u2003'.repeat(4),
    ]) {
      expect(rejection(blank).errors).toEqual([{ path: 'password', message: 'must not be only whitespace' }]);
    }
  });

  it('accepts spaces inside a password, and around it, when it has anything else', () => {
    expect(() => assertPasswordPolicy('correct horse battery staple')).not.toThrow();
    expect(() => assertPasswordPolicy(`${' '.repeat(9)}x`)).not.toThrow();
    expect(() => assertPasswordPolicy(`  pass word  `)).not.toThrow();
  });
});
