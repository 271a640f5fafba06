import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatOrderNumber, ORDER_NUMBER_PATTERN } from './order-number.format.js';

describe('order numbers', () => {
  it('are the region code upper-cased, a dash and at least six digits', () => {
    expect(formatOrderNumber('eu', 123)).toBe('EU-000123');
    expect(formatOrderNumber('us', 1)).toBe('US-000001');
    expect(formatOrderNumber('apac', 999_999)).toBe('APAC-999999');
    // never truncated past six digits
    expect(formatOrderNumber('eu', 1_234_567)).toBe('EU-1234567');
  });

  it('keep the order of the sequence within a width and never collide', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 2 ** 40 }), fc.integer({ min: 1, max: 2 ** 40 }), (a, b) => {
        const x = formatOrderNumber('eu', a);
        const y = formatOrderNumber('eu', b);
        expect(ORDER_NUMBER_PATTERN.test(x)).toBe(true);
        expect(x === y).toBe(a === b);
        expect(Number(x.slice(3))).toBe(a);
      }),
    );
  });

  it('refuses what is not a region code or a sequence value', () => {
    expect(() => formatOrderNumber('e', 1)).toThrow(RangeError);
    expect(() => formatOrderNumber('eu-1', 1)).toThrow(RangeError);
    expect(() => formatOrderNumber('eu', 0)).toThrow(RangeError);
    expect(() => formatOrderNumber('eu', 1.5)).toThrow(RangeError);
  });
});
