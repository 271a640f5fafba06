/**
 * Integer rounding for money. Amounts are integer minor units held as BigInt while they are computed,
 * so that products such as `subtotal × discount` never lose precision, whatever their size.
 */

/**
 * `numerator / denominator` rounded to the nearest integer; an exact half goes to the even neighbour
 * (banker's rounding: 0.5 → 0, 1.5 → 2, 2.5 → 2, −2.5 → −2). Exact: no floating point is involved.
 */
export const roundHalfEven = (numerator: bigint, denominator: bigint): bigint => {
  if (denominator === 0n) throw new RangeError('roundHalfEven: the denominator must not be zero');
  const n = denominator < 0n ? -numerator : numerator;
  const d = denominator < 0n ? -denominator : denominator;
  const quotient = n / d; // truncates toward zero
  const remainder = n % d; // carries the sign of n
  if (remainder === 0n) return quotient;
  const awayFromZero = remainder < 0n ? quotient - 1n : quotient + 1n;
  const twiceRemainder = 2n * (remainder < 0n ? -remainder : remainder);
  if (twiceRemainder > d) return awayFromZero;
  if (twiceRemainder < d) return quotient;
  return quotient % 2n === 0n ? quotient : awayFromZero;
};

/**
 * Splits `amount` over `weights` in proportion, exactly: each share is the floor of its exact value,
 * and the units left over go one each to the largest fractional remainders (largest-remainder method),
 * ties broken by position (earlier first). The shares sum to `amount`, none exceeds its exact value by
 * a whole unit, and when `amount ≤ Σ weights` no share exceeds its weight.
 */
export const allocateProportionally = (amount: bigint, weights: readonly bigint[]): bigint[] => {
  if (amount < 0n) throw new RangeError('allocateProportionally: the amount must not be negative');
  if (weights.some((w) => w < 0n))
    throw new RangeError('allocateProportionally: weights must not be negative');
  const total = weights.reduce((sum, w) => sum + w, 0n);
  if (amount === 0n) return weights.map(() => 0n);
  if (total === 0n) throw new RangeError('allocateProportionally: cannot allocate over zero weights');
  const shares = weights.map((w) => (amount * w) / total);
  let left = amount - shares.reduce((sum, s) => sum + s, 0n);
  const byRemainder = weights
    .map((w, index) => ({ index, remainder: (amount * w) % total }))
    .sort((a, b) => (a.remainder === b.remainder ? a.index - b.index : a.remainder > b.remainder ? -1 : 1));
  for (let k = 0; left > 0n; k++, left--) {
    const { index } = byRemainder[k]!;
    shares[index] = shares[index]! + 1n;
  }
  return shares;
};
