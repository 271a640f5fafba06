import type { TransactionHandle } from '../../platform/db/unit-of-work.js';
import { ValidationError } from '../../platform/errors.js';
import type { Quote, QuoteInput } from '../contract.js';
import { calculatePricing, type PricingInput, type PricingResult } from '../domain/pricing-engine.service.js';
import type { CheckPromotion } from './check-promotion.query.js';
import type { GetPrices } from './get-prices.query.js';
import type { PricingDeps } from './pricing.deps.js';

/**
 * A quote through the pricing engine: the lines at their list prices (lines without one are left out
 * and named in `missingPrices`), the region's tax, a shipping option and a promotion code, whose
 * eligibility is judged on the undiscounted subtotal.
 */
export class GetQuote {
  constructor(
    private readonly deps: Pick<PricingDeps, 'region' | 'clock'>,
    private readonly prices: GetPrices,
    private readonly promotions: CheckPromotion,
  ) {}

  async execute(input: QuoteInput, tx?: TransactionHandle): Promise<Quote> {
    const { region, clock } = this.deps;
    const now = input.now ?? clock.now();
    const shippingOption = input.shippingOption
      ? region.shippingOptions.find((o) => o.code === input.shippingOption)
      : undefined;
    if (input.shippingOption && !shippingOption) {
      throw new ValidationError('Unknown shipping option', [
        {
          path: 'shippingOption',
          message: `must be one of ${region.shippingOptions.map((o) => o.code).join(', ')}`,
        },
      ]);
    }
    const prices = await this.prices.execute(
      input.lines.map((l) => l.sku),
      tx,
    );
    const missingPrices = [...new Set(input.lines.filter((l) => !prices.has(l.sku)).map((l) => l.sku))];
    const base: PricingInput = {
      currency: region.currency,
      tax: region.tax,
      lines: input.lines
        .filter((l) => prices.has(l.sku))
        .map((l) => ({
          sku: l.sku,
          quantity: l.quantity,
          unitPrice: prices.get(l.sku)!.amount,
          taxClass: l.taxClass,
        })),
      shippingPrice: shippingOption ? shippingOption.price : null,
    };

    let priced: PricingResult = calculatePricing(base);
    let promotion: Quote['promotion'] = null;
    if (input.promotionCode) {
      // eligibility (minimum subtotal) is judged on the undiscounted subtotal the engine computed
      const check = await this.promotions.execute(input.promotionCode, priced.subtotal, now, tx);
      if (check.ok) {
        priced = calculatePricing({ ...base, promotion: check.promotion.terms });
        promotion = { code: check.promotion.code, applied: true };
      } else {
        promotion = { code: check.code, applied: false, reason: check.reason };
      }
    }
    return {
      ...priced,
      lines: priced.lines.map((l) => ({ ...l })),
      promotion,
      shippingOption: shippingOption ? { code: shippingOption.code, name: shippingOption.name } : null,
      missingPrices,
    };
  }
}
