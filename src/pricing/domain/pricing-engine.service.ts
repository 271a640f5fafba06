/**
 * The pricing engine: the only code in shopcore that does money arithmetic. A pure function of its
 * input — no I/O, no clock — over integer minor units, computed in BigInt and rounded half-even.
 * docs/pricing.md explains the arithmetic with worked examples.
 */
import type { FieldError } from '../../platform/errors.js';
import { InvalidPricingInputError, UnknownTaxClassError } from './pricing.errors.js';
import { allocateProportionally, roundHalfEven } from './rounding.rules.js';

export type TaxMode = 'inclusive' | 'exclusive';

/** Tax of a region: prices include it or get it added; a rate per tax class in basis points (2000 = 20 %). */
export interface TaxRules {
  readonly mode: TaxMode;
  readonly rates: Readonly<Record<string, number>>;
  /** the tax class shipping is taxed at */
  readonly shippingTaxClass: string;
}

export interface PricingLineInput {
  readonly sku: string;
  readonly quantity: number;
  /** as listed: tax included in inclusive regions, net in exclusive ones */
  readonly unitPrice: number;
  readonly taxClass: string;
}

export type PromotionType = 'percentage' | 'fixed';

/** What a promotion takes off: `percentage` 0–100 of the subtotal, or a `fixed` amount (capped at the subtotal). */
export interface PromotionTerms {
  readonly type: PromotionType;
  readonly value: number;
}

export interface PricingInput {
  readonly currency: string;
  readonly tax: TaxRules;
  readonly lines: readonly PricingLineInput[];
  readonly promotion?: PromotionTerms | null;
  /** the chosen shipping option's price as listed (same tax treatment as the lines); none = 0 */
  readonly shippingPrice?: number | null;
}

export interface PricedLine {
  readonly sku: string;
  readonly quantity: number;
  readonly unitPrice: number;
  readonly taxClass: string;
  /** unitPrice × quantity */
  readonly subtotal: number;
  /** this line's share of the order discount */
  readonly discount: number;
  /** subtotal − discount */
  readonly total: number;
  /** tax on `total`: contained in it (inclusive) or due on top of it (exclusive) */
  readonly tax: number;
}

export interface PricingResult {
  readonly currency: string;
  readonly taxMode: TaxMode;
  readonly lines: readonly PricedLine[];
  /** Σ line subtotals */
  readonly subtotal: number;
  /** Σ line discounts; never more than the subtotal */
  readonly discount: number;
  /** the shipping price as listed (never discounted) */
  readonly shipping: number;
  /** tax on shipping, at the region's shipping tax class (part of `tax`) */
  readonly shippingTax: number;
  /** Σ line taxes + shippingTax */
  readonly tax: number;
  /** inclusive: Σ line totals + shipping; exclusive: Σ line totals + shipping + tax */
  readonly total: number;
}

const BASIS_POINTS = 10_000n;

const isInt = (v: unknown): v is number => typeof v === 'number' && Number.isSafeInteger(v);

/**
 * Tax on an amount at `rate` basis points, rounded half-even. Inclusive: the tax contained in a
 * tax-inclusive amount, `amount × r / (10000 + r)`. Exclusive: the tax due on top of a net amount,
 * `amount × r / 10000`.
 */
export const taxOn = (amount: bigint, rate: bigint, mode: TaxMode): bigint =>
  mode === 'inclusive'
    ? roundHalfEven(amount * rate, BASIS_POINTS + rate)
    : roundHalfEven(amount * rate, BASIS_POINTS);

/** The discount a promotion gives on a subtotal: half-even percentage, or the fixed value capped at the subtotal. */
export const discountOn = (subtotal: bigint, promotion: PromotionTerms | null | undefined): bigint => {
  if (!promotion) return 0n;
  if (promotion.type === 'percentage') return roundHalfEven(subtotal * BigInt(promotion.value), 100n);
  const value = BigInt(promotion.value);
  return value < subtotal ? value : subtotal;
};

const validate = (input: PricingInput): void => {
  const errors: FieldError[] = [];
  const fail = (path: string, message: string) => errors.push({ path, message });
  if (typeof input.currency !== 'string' || !/^[A-Z]{3}$/.test(input.currency)) {
    fail('currency', 'must be an ISO 4217 code');
  }
  if (input.tax?.mode !== 'inclusive' && input.tax?.mode !== 'exclusive') {
    fail('tax.mode', 'must be inclusive or exclusive');
  }
  for (const [taxClass, rate] of Object.entries(input.tax?.rates ?? {})) {
    if (!isInt(rate) || rate < 0)
      fail(`tax.rates.${taxClass}`, 'must be a non-negative integer (basis points)');
  }
  if (!Array.isArray(input.lines)) fail('lines', 'must be an array');
  (Array.isArray(input.lines) ? input.lines : []).forEach((line, i) => {
    if (typeof line.sku !== 'string' || line.sku.length === 0) fail(`lines.${i}.sku`, 'must not be empty');
    if (!isInt(line.quantity) || line.quantity < 1) fail(`lines.${i}.quantity`, 'must be an integer ≥ 1');
    if (!isInt(line.unitPrice) || line.unitPrice < 0) {
      fail(`lines.${i}.unitPrice`, 'must be a non-negative integer (minor units)');
    }
    if (typeof line.taxClass !== 'string') fail(`lines.${i}.taxClass`, 'must be a tax class');
  });
  const promotion = input.promotion;
  if (promotion) {
    if (promotion.type === 'percentage') {
      if (!isInt(promotion.value) || promotion.value < 0 || promotion.value > 100) {
        fail('promotion.value', 'a percentage must be an integer from 0 to 100');
      }
    } else if (promotion.type === 'fixed') {
      if (!isInt(promotion.value) || promotion.value < 0) {
        fail('promotion.value', 'a fixed discount must be a non-negative integer (minor units)');
      }
    } else {
      fail('promotion.type', 'must be percentage or fixed');
    }
  }
  const shipping = input.shippingPrice;
  if (shipping !== null && shipping !== undefined && (!isInt(shipping) || shipping < 0)) {
    fail('shippingPrice', 'must be a non-negative integer (minor units)');
  }
  if (errors.length > 0) throw new InvalidPricingInputError(errors);

  const unknown: FieldError[] = [];
  const known = (taxClass: string) => Object.hasOwn(input.tax.rates, taxClass);
  input.lines.forEach((line, i) => {
    if (!known(line.taxClass)) unknown.push({ path: `lines.${i}.taxClass`, message: line.taxClass });
  });
  if (shipping !== null && shipping !== undefined && !known(input.tax.shippingTaxClass)) {
    unknown.push({ path: 'tax.shippingTaxClass', message: input.tax.shippingTaxClass });
  }
  if (unknown.length > 0) throw new UnknownTaxClassError(unknown);
};

const toNumber = (value: bigint, what: string): number => {
  const n = Number(value);
  if (!Number.isSafeInteger(n)) {
    throw new InvalidPricingInputError([{ path: what, message: 'exceeds the safe integer range' }]);
  }
  return n;
};

/**
 * Prices lines for a region:
 * 1. line subtotal = unitPrice × quantity; subtotal = Σ line subtotals;
 * 2. discount = percentage → half-even(subtotal × value / 100), fixed → min(value, subtotal);
 *    allocated over the lines in proportion to their subtotals (largest remainder, ties by line order);
 * 3. line total = line subtotal − line discount; line tax = half-even tax of the line total
 *    (inclusive: contained in it; exclusive: added on top); shipping is taxed the same way at the
 *    region's shipping tax class and is never discounted;
 * 4. total = Σ line totals + shipping (+ tax when exclusive).
 * Throws InvalidPricingInputError or UnknownTaxClassError; never returns a negative amount.
 */
export const calculatePricing = (input: PricingInput): PricingResult => {
  validate(input);
  const { tax } = input;
  const rateOf = (taxClass: string) => BigInt(tax.rates[taxClass]!);

  const subtotals = input.lines.map((l) => BigInt(l.unitPrice) * BigInt(l.quantity));
  const subtotal = subtotals.reduce((sum, s) => sum + s, 0n);
  const discount = discountOn(subtotal, input.promotion);
  const discounts = allocateProportionally(discount, subtotals);

  const lines = input.lines.map((line, i): PricedLine => {
    const lineTotal = subtotals[i]! - discounts[i]!;
    return {
      sku: line.sku,
      quantity: line.quantity,
      unitPrice: line.unitPrice,
      taxClass: line.taxClass,
      subtotal: toNumber(subtotals[i]!, `lines.${i}.subtotal`),
      discount: toNumber(discounts[i]!, `lines.${i}.discount`),
      total: toNumber(lineTotal, `lines.${i}.total`),
      tax: toNumber(taxOn(lineTotal, rateOf(line.taxClass), tax.mode), `lines.${i}.tax`),
    };
  });

  const shipping = BigInt(input.shippingPrice ?? 0);
  const shippingTax =
    input.shippingPrice === null || input.shippingPrice === undefined
      ? 0n
      : taxOn(shipping, rateOf(tax.shippingTaxClass), tax.mode);
  const linesTotal = lines.reduce((sum, l) => sum + BigInt(l.total), 0n);
  const taxTotal = lines.reduce((sum, l) => sum + BigInt(l.tax), shippingTax);
  const total = linesTotal + shipping + (tax.mode === 'exclusive' ? taxTotal : 0n);

  return {
    currency: input.currency,
    taxMode: tax.mode,
    lines,
    subtotal: toNumber(subtotal, 'subtotal'),
    discount: toNumber(discount, 'discount'),
    shipping: toNumber(shipping, 'shipping'),
    shippingTax: toNumber(shippingTax, 'shippingTax'),
    tax: toNumber(taxTotal, 'tax'),
    total: toNumber(total, 'total'),
  };
};
