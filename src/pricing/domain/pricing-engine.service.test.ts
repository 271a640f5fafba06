import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ValidationError } from '../../platform/errors.js';
import { InvalidPricingInputError, UnknownTaxClassError } from './pricing.errors.js';
import {
  calculatePricing,
  type PricingInput,
  type PricingResult,
  type PromotionTerms,
  type TaxRules,
} from './pricing-engine.service.js';

const EU: TaxRules = {
  mode: 'inclusive',
  rates: { standard: 2000, reduced: 700, zero: 0 },
  shippingTaxClass: 'standard',
};
const US: TaxRules = {
  mode: 'exclusive',
  rates: { standard: 725, reduced: 225, zero: 0 },
  shippingTaxClass: 'standard',
};

// ---------------------------------------------------------------------------------------------
// An independent reference: exact rational numbers (BigInt numerator / denominator) and rounding by
// the definition — the nearest integer, ties to the even one — instead of the engine's remainders.
// ---------------------------------------------------------------------------------------------
interface Rational {
  n: bigint;
  d: bigint;
}
const q = (n: bigint, d: bigint): Rational => ({ n, d });
const floorOf = ({ n, d }: Rational): bigint => {
  const t = n / d;
  return n < 0n && t * d !== n ? t - 1n : t;
};
/** Compares |k − x| for two integer candidates exactly: negative when a is closer. */
const distanceCmp = (a: bigint, b: bigint, x: Rational): number => {
  const da = a * x.d - x.n;
  const db = b * x.d - x.n;
  const sa = da < 0n ? -da : da;
  const sb = db < 0n ? -db : db;
  return sa < sb ? -1 : sa > sb ? 1 : 0;
};
const referenceRound = (x: Rational): bigint => {
  const lo = floorOf(x);
  const hi = lo + 1n;
  const c = distanceCmp(lo, hi, x);
  if (c !== 0) return c < 0 ? lo : hi;
  return lo % 2n === 0n ? lo : hi;
};

const referenceTax = (amount: bigint, rate: bigint, mode: TaxRules['mode']): bigint =>
  mode === 'inclusive'
    ? referenceRound(q(amount * rate, 10_000n + rate)) // the part of a gross amount that is tax
    : referenceRound(q(amount * rate, 10_000n)); // tax added on top of a net amount

const referenceDiscount = (subtotal: bigint, promotion: PromotionTerms | null | undefined): bigint => {
  if (!promotion) return 0n;
  if (promotion.type === 'percentage') return referenceRound(q(subtotal * BigInt(promotion.value), 100n));
  return BigInt(Math.min(promotion.value, Number(subtotal)));
};

// ---------------------------------------------------------------------------------------------
// Generators
// ---------------------------------------------------------------------------------------------
const rate = fc.oneof(
  fc.constantFrom(0, 225, 700, 725, 900, 2000, 2500, 10_000),
  fc.integer({ min: 0, max: 30_000 }),
);
const taxRules: fc.Arbitrary<TaxRules> = fc.record({
  mode: fc.constantFrom('inclusive' as const, 'exclusive' as const),
  rates: fc.record({ standard: rate, reduced: rate, zero: fc.constant(0) }),
  shippingTaxClass: fc.constantFrom('standard', 'reduced', 'zero'),
});
const unitPrice = fc.oneof(
  fc.integer({ min: 0, max: 10_000 }),
  fc.integer({ min: 0, max: 100_000_000 }),
  fc.constantFrom(0, 1, 5, 50, 99, 1999),
);
const line = fc.record({
  sku: fc.constantFrom('TEE-S', 'TEE-M', 'MUG', 'BOOK-1', 'CAP'),
  quantity: fc.integer({ min: 1, max: 99 }),
  unitPrice,
  taxClass: fc.constantFrom('standard', 'reduced', 'zero'),
});
const promotion: fc.Arbitrary<PromotionTerms | null> = fc.option(
  fc.oneof(
    fc.record({ type: fc.constant('percentage' as const), value: fc.integer({ min: 0, max: 100 }) }),
    fc.record({ type: fc.constant('fixed' as const), value: fc.integer({ min: 0, max: 1_000_000_000 }) }),
  ),
);
const pricingInput: fc.Arbitrary<PricingInput> = fc.record({
  currency: fc.constantFrom('EUR', 'USD', 'SGD'),
  tax: taxRules,
  lines: fc.array(line, { maxLength: 8 }),
  promotion,
  shippingPrice: fc.option(fc.integer({ min: 0, max: 100_000 })),
});

const sum = (xs: readonly number[]) => xs.reduce((a, b) => a + b, 0);
const allAmounts = (r: PricingResult): number[] => [
  r.subtotal,
  r.discount,
  r.shipping,
  r.shippingTax,
  r.tax,
  r.total,
  ...r.lines.flatMap((l) => [l.unitPrice, l.subtotal, l.discount, l.total, l.tax]),
];

const RUNS = { numRuns: 1000 };

describe('pricing engine — properties', () => {
  it('totals equal the sum of their parts', () => {
    fc.assert(
      fc.property(pricingInput, (input) => {
        const r = calculatePricing(input);
        expect(r.subtotal).toBe(sum(r.lines.map((l) => l.subtotal)));
        expect(r.discount).toBe(sum(r.lines.map((l) => l.discount)));
        expect(r.tax).toBe(sum(r.lines.map((l) => l.tax)) + r.shippingTax);
        for (const l of r.lines) {
          expect(l.subtotal).toBe(l.unitPrice * l.quantity);
          expect(l.total).toBe(l.subtotal - l.discount);
        }
        const linesTotal = sum(r.lines.map((l) => l.total));
        expect(r.total).toBe(linesTotal + r.shipping + (r.taxMode === 'exclusive' ? r.tax : 0));
        expect(r.shipping).toBe(input.shippingPrice ?? 0);
      }),
      RUNS,
    );
  });

  it('never produces a negative or fractional amount', () => {
    fc.assert(
      fc.property(pricingInput, (input) => {
        for (const amount of allAmounts(calculatePricing(input))) {
          expect(Number.isSafeInteger(amount)).toBe(true);
          expect(amount).toBeGreaterThanOrEqual(0);
        }
      }),
      RUNS,
    );
  });

  it('never discounts more than the subtotal, overall or on a line', () => {
    fc.assert(
      fc.property(pricingInput, (input) => {
        const r = calculatePricing(input);
        expect(r.discount).toBeLessThanOrEqual(r.subtotal);
        for (const l of r.lines) expect(l.discount).toBeLessThanOrEqual(l.subtotal);
        if (r.taxMode === 'inclusive') {
          for (const l of r.lines) expect(l.tax).toBeLessThanOrEqual(l.total); // contained in it
          expect(r.total).toBe(r.subtotal - r.discount + r.shipping);
        }
      }),
      RUNS,
    );
  });

  it('computes the discount as the reference does and allocates it by largest remainder', () => {
    fc.assert(
      fc.property(pricingInput, (input) => {
        const r = calculatePricing(input);
        const S = BigInt(r.subtotal);
        const D = referenceDiscount(S, input.promotion);
        expect(BigInt(r.discount)).toBe(D);
        if (S === 0n) return;
        // each share is the floor or the ceiling of its exact share D·s/S …
        const remainders = r.lines.map((l) => (D * BigInt(l.subtotal)) % S);
        r.lines.forEach((l) => {
          const floor = (D * BigInt(l.subtotal)) / S;
          expect([floor, floor + 1n]).toContain(BigInt(l.discount));
        });
        // … and a line that got the extra unit has a remainder at least as large as one that did not
        // (ties: the earlier line gets it)
        r.lines.forEach((a, i) => {
          const aUp = BigInt(a.discount) * S > D * BigInt(a.subtotal);
          r.lines.forEach((b, j) => {
            const bUp = BigInt(b.discount) * S > D * BigInt(b.subtotal);
            const bCould = remainders[j]! > 0n;
            if (aUp && !bUp && bCould) {
              expect(remainders[i]! > remainders[j]! || (remainders[i] === remainders[j] && i < j)).toBe(
                true,
              );
            }
          });
        });
      }),
      RUNS,
    );
  });

  it('taxes every line and the shipping as the exact reference does, in both modes', () => {
    fc.assert(
      fc.property(pricingInput, (input) => {
        const r = calculatePricing(input);
        const rateOf = (c: string) => BigInt(input.tax.rates[c]!);
        r.lines.forEach((l) => {
          expect(BigInt(l.tax)).toBe(referenceTax(BigInt(l.total), rateOf(l.taxClass), input.tax.mode));
        });
        const expectedShippingTax =
          input.shippingPrice == null
            ? 0n
            : referenceTax(BigInt(input.shippingPrice), rateOf(input.tax.shippingTaxClass), input.tax.mode);
        expect(BigInt(r.shippingTax)).toBe(expectedShippingTax);
      }),
      RUNS,
    );
  });

  it('inclusive and exclusive agree: the tax contained in net + added tax is the added tax', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 100_000_000 }),
        fc.integer({ min: 1, max: 99 }),
        rate,
        (net, quantity, standard) => {
          const lines = [{ sku: 'X', quantity, unitPrice: net, taxClass: 'standard' }];
          const rates = { standard };
          const exclusive = calculatePricing({
            currency: 'USD',
            tax: { mode: 'exclusive', rates, shippingTaxClass: 'standard' },
            lines,
          });
          const gross = exclusive.total; // net × quantity + tax
          const inclusive = calculatePricing({
            currency: 'EUR',
            tax: { mode: 'inclusive', rates, shippingTaxClass: 'standard' },
            lines: [{ sku: 'X', quantity: 1, unitPrice: gross, taxClass: 'standard' }],
          });
          expect(inclusive.tax).toBe(exclusive.tax);
          expect(inclusive.total).toBe(exclusive.total);
        },
      ),
      RUNS,
    );
  });

  it('is deterministic, keeps the line order and does not touch its input', () => {
    fc.assert(
      fc.property(pricingInput, (input) => {
        const copy = structuredClone(input);
        const frozen = Object.freeze({
          ...input,
          lines: Object.freeze(input.lines.map((l) => Object.freeze({ ...l }))),
        });
        const a = calculatePricing(frozen);
        const b = calculatePricing(copy);
        expect(a).toEqual(b);
        expect(input).toEqual(copy);
        expect(a.lines.map((l) => l.sku)).toEqual(input.lines.map((l) => l.sku));
      }),
      RUNS,
    );
  });

  it('gives the same subtotal and discount (and inclusive total) whatever the line order', () => {
    fc.assert(
      fc.property(pricingInput, fc.nat(), (input, seed) => {
        const lines = [...input.lines];
        for (let i = lines.length - 1; i > 0; i--) {
          const j = (seed + i * 7919) % (i + 1);
          [lines[i], lines[j]] = [lines[j]!, lines[i]!];
        }
        const a = calculatePricing(input);
        const b = calculatePricing({ ...input, lines });
        expect(b.subtotal).toBe(a.subtotal);
        expect(b.discount).toBe(a.discount);
        if (a.taxMode === 'inclusive') expect(b.total).toBe(a.total);
      }),
      RUNS,
    );
  });
});

describe('pricing engine — worked examples', () => {
  it('EU (20 % included): 2 × 19.99 with standard shipping 4.95', () => {
    const r = calculatePricing({
      currency: 'EUR',
      tax: EU,
      lines: [{ sku: 'TEE', quantity: 2, unitPrice: 1999, taxClass: 'standard' }],
      shippingPrice: 495,
    });
    expect(r).toEqual({
      currency: 'EUR',
      taxMode: 'inclusive',
      lines: [
        {
          sku: 'TEE',
          quantity: 2,
          unitPrice: 1999,
          taxClass: 'standard',
          subtotal: 3998,
          discount: 0,
          total: 3998,
          tax: 666, // 3998 × 2000 / 12000 = 666.33…
        },
      ],
      subtotal: 3998,
      discount: 0,
      shipping: 495,
      shippingTax: 82, // 495 × 2000 / 12000 = 82.5 → 82 (half to even)
      tax: 748,
      total: 4493, // tax is contained: 3998 + 495
    });
  });

  it('US (7.25 % added): ties at .5 round to the even cent', () => {
    const r = calculatePricing({
      currency: 'USD',
      tax: US,
      lines: [
        { sku: 'A', quantity: 1, unitPrice: 1000, taxClass: 'standard' }, // 72.5 → 72
        { sku: 'B', quantity: 3, unitPrice: 1000, taxClass: 'standard' }, // 217.5 → 218
        { sku: 'C', quantity: 1, unitPrice: 200, taxClass: 'reduced' }, // 4.5 → 4
      ],
      shippingPrice: 599, // 43.4275 → 43
    });
    expect(r.lines.map((l) => l.tax)).toEqual([72, 218, 4]);
    expect(r.shippingTax).toBe(43);
    expect(r.tax).toBe(72 + 218 + 4 + 43);
    expect(r.total).toBe(4200 + 599 + 337); // tax on top
  });

  it('percentage discounts round half to even and are shared by largest remainder', () => {
    const base = { currency: 'EUR', tax: EU, shippingPrice: null };
    const of = (unitPrice: number, value: number) =>
      calculatePricing({
        ...base,
        lines: [{ sku: 'A', quantity: 1, unitPrice, taxClass: 'zero' }],
        promotion: { type: 'percentage', value },
      }).discount;
    expect(of(1010, 15)).toBe(152); // 151.5 → 152
    expect(of(1030, 15)).toBe(154); // 154.5 → 154
    expect(of(1050, 10)).toBe(105);

    // 10 % of 3 × 3.33 = 99.9 → 100, shared 33.33 each: 34, 33, 33 (the first line breaks the tie)
    const r = calculatePricing({
      ...base,
      lines: [
        { sku: 'A', quantity: 1, unitPrice: 333, taxClass: 'standard' },
        { sku: 'B', quantity: 1, unitPrice: 333, taxClass: 'standard' },
        { sku: 'C', quantity: 1, unitPrice: 333, taxClass: 'standard' },
      ],
      promotion: { type: 'percentage', value: 10 },
    });
    expect(r.discount).toBe(100);
    expect(r.lines.map((l) => l.discount)).toEqual([34, 33, 33]);
    expect(r.lines.map((l) => l.total)).toEqual([299, 300, 300]);
    // 299 × 2000 / 12000 = 49.83 → 50; 300 → exactly 50
    expect(r.lines.map((l) => l.tax)).toEqual([50, 50, 50]);
    expect(r.total).toBe(899);
  });

  it('caps a fixed discount at the subtotal and never discounts shipping', () => {
    const r = calculatePricing({
      currency: 'USD',
      tax: US,
      lines: [{ sku: 'A', quantity: 2, unitPrice: 500, taxClass: 'standard' }],
      promotion: { type: 'fixed', value: 5000 },
      shippingPrice: 599,
    });
    expect(r.discount).toBe(1000);
    expect(r.lines[0]).toMatchObject({ total: 0, tax: 0 });
    expect(r.total).toBe(599 + 43);
  });

  it('prices an empty cart (and one with only shipping) as zero', () => {
    expect(calculatePricing({ currency: 'EUR', tax: EU, lines: [] })).toMatchObject({
      subtotal: 0,
      discount: 0,
      shipping: 0,
      tax: 0,
      total: 0,
    });
    expect(
      calculatePricing({
        currency: 'EUR',
        tax: EU,
        lines: [],
        promotion: { type: 'fixed', value: 500 },
        shippingPrice: 1295,
      }),
    ).toMatchObject({ subtotal: 0, discount: 0, shipping: 1295, tax: 216, total: 1295 }); // 215.83 → 216
  });
});

describe('pricing engine — invalid input', () => {
  it('lists every invalid field with a typed validation error', () => {
    const attempt = () =>
      calculatePricing({
        currency: 'eur',
        tax: EU,
        lines: [
          { sku: 'A', quantity: 0, unitPrice: 100, taxClass: 'standard' },
          { sku: 'B', quantity: 1.5, unitPrice: -1, taxClass: 'standard' },
          { sku: 'C', quantity: 1, unitPrice: 10.5, taxClass: 'standard' },
        ],
        promotion: { type: 'percentage', value: 101 },
        shippingPrice: -5,
      });
    expect(attempt).toThrow(InvalidPricingInputError);
    try {
      attempt();
    } catch (err) {
      expect(err).toBeInstanceOf(ValidationError);
      expect((err as ValidationError).code).toBe('VALIDATION_FAILED');
      expect((err as ValidationError).errors!.map((e) => e.path)).toEqual([
        'currency',
        'lines.0.quantity',
        'lines.1.quantity',
        'lines.1.unitPrice',
        'lines.2.unitPrice',
        'promotion.value',
        'shippingPrice',
      ]);
    }
  });

  it('refuses a tax class the region has no rate for', () => {
    const attempt = () =>
      calculatePricing({
        currency: 'EUR',
        tax: EU,
        lines: [
          { sku: 'A', quantity: 1, unitPrice: 100, taxClass: 'standard' },
          { sku: 'B', quantity: 1, unitPrice: 100, taxClass: 'luxury' },
        ],
      });
    expect(attempt).toThrow(UnknownTaxClassError);
    expect(attempt).toThrow(/luxury/);
    // shipping at an unknown class is refused too, but only when there is shipping
    const shippingAt = (shippingPrice: number | null) => () =>
      calculatePricing({
        currency: 'EUR',
        tax: { ...EU, shippingTaxClass: 'nope' },
        lines: [],
        shippingPrice,
      });
    expect(shippingAt(495)).toThrow(UnknownTaxClassError);
    expect(shippingAt(null)).not.toThrow();
  });

  it('refuses amounts beyond the safe integer range instead of losing precision', () => {
    expect(() =>
      calculatePricing({
        currency: 'EUR',
        tax: EU,
        lines: [{ sku: 'A', quantity: 2 ** 30, unitPrice: 2 ** 30, taxClass: 'standard' }],
      }),
    ).toThrow(InvalidPricingInputError);
  });
});
