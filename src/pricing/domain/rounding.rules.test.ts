import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { allocateProportionally, roundHalfEven } from './rounding.rules.js';

const abs = (v: bigint) => (v < 0n ? -v : v);

describe('roundHalfEven', () => {
  it.each([
    [0n, 1n, 0n],
    [5n, 10n, 0n], // 0.5 → 0
    [15n, 10n, 2n], // 1.5 → 2
    [25n, 10n, 2n], // 2.5 → 2
    [35n, 10n, 4n], // 3.5 → 4
    [26n, 10n, 3n], // 2.6 → 3
    [24n, 10n, 2n], // 2.4 → 2
    [-5n, 10n, 0n], // −0.5 → 0
    [-15n, 10n, -2n], // −1.5 → −2
    [-25n, 10n, -2n], // −2.5 → −2
    [-26n, 10n, -3n], // −2.6 → −3
    [25n, -10n, -2n], // sign in the denominator
    [1999n * 2000n, 12_000n, 333n], // 333.1666…
    [495n * 2000n, 12_000n, 82n], // 82.5 → 82
  ])('%s / %s → %s', (n, d, expected) => {
    expect(roundHalfEven(n, d)).toBe(expected);
  });

  it('refuses a zero denominator', () => {
    expect(() => roundHalfEven(1n, 0n)).toThrow(RangeError);
  });

  it('is the nearest integer, and an exact half goes to the even one', () => {
    fc.assert(
      fc.property(fc.bigInt(-(10n ** 24n), 10n ** 24n), fc.bigInt(1n, 10n ** 12n), (n, d) => {
        const r = roundHalfEven(n, d);
        // |r − n/d| ≤ 1/2  ⇔  2·|r·d − n| ≤ d
        const twiceError = 2n * abs(r * d - n);
        expect(twiceError <= d).toBe(true);
        if (twiceError === d) expect(r % 2n).toBe(0n);
      }),
      { numRuns: 2000 },
    );
  });
});

describe('allocateProportionally (largest remainder)', () => {
  it('gives the leftover units to the largest remainders, ties to the earlier line', () => {
    expect(allocateProportionally(100n, [1n, 1n, 1n])).toEqual([34n, 33n, 33n]);
    expect(allocateProportionally(10n, [300n, 700n])).toEqual([3n, 7n]);
    // exact shares 1.5, 2.5, 1: floors 1, 2, 1; one unit left, remainders tie at .5 → first line
    expect(allocateProportionally(5n, [3n, 5n, 2n])).toEqual([2n, 2n, 1n]);
    // exact shares 0.2, 0.3, 0.5 of 1: the largest remainder (0.5) wins
    expect(allocateProportionally(1n, [2n, 3n, 5n])).toEqual([0n, 0n, 1n]);
    expect(allocateProportionally(0n, [0n, 0n])).toEqual([0n, 0n]);
  });

  it('sums exactly, stays within one unit of each exact share and never exceeds a weight', () => {
    fc.assert(
      fc.property(
        fc.array(fc.bigInt(0n, 10n ** 12n), { minLength: 1, maxLength: 12 }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        (weights, fraction) => {
          const total = weights.reduce((a, b) => a + b, 0n);
          const amount = total === 0n ? 0n : (total * BigInt(Math.floor(fraction * 1_000_000))) / 1_000_000n;
          const shares = allocateProportionally(amount, weights);
          expect(shares.reduce((a, b) => a + b, 0n)).toBe(amount);
          shares.forEach((share, i) => {
            const w = weights[i]!;
            expect(share >= 0n && share <= w).toBe(true);
            if (total > 0n) expect(abs(share * total - amount * w) < total).toBe(true);
          });
        },
      ),
      { numRuns: 1000 },
    );
  });
});
