import type { TransactionHandle } from '../../platform/db/unit-of-work.js';
import { ValidationError } from '../../platform/errors.js';
import { type Money, money } from '../../platform/money.js';
import type {
  PricingFacade,
  PromotionCheck,
  PromotionRedemption,
  PromotionSummary,
  Quote,
  QuoteInput,
  ShippingOption,
} from '../contract.js';
import { calculatePricing, type PricingInput, type PricingResult } from '../domain/pricing-engine.js';
import type { Promotion } from '../domain/promotion.aggregate.js';
import type { PriceListUseCases } from './price-list.use-cases.js';
import type { PricingDeps } from './pricing.deps.js';
import type { PromotionUseCases } from './promotion.use-cases.js';

export const promotionSummary = (p: Promotion): PromotionSummary => ({
  id: p.id,
  code: p.code,
  type: p.type,
  value: p.value,
  minSubtotal: p.minSubtotal === null ? null : money(p.minSubtotal, p.currency),
  startsAt: p.startsAt,
  endsAt: p.endsAt,
  usageLimit: p.usageLimit,
  usedCount: p.usedCount,
});

/** What other contexts call: list prices, quotes through the pricing engine, coupons, shipping options. */
export class PricingFacadeService implements PricingFacade {
  constructor(
    private readonly deps: PricingDeps,
    private readonly priceList: PriceListUseCases,
    private readonly promotions: PromotionUseCases,
  ) {}

  pricesFor(skus: readonly string[], tx?: TransactionHandle): Promise<Map<string, Money>> {
    return this.priceList.pricesFor(skus, tx);
  }

  async quote(input: QuoteInput, tx?: TransactionHandle): Promise<Quote> {
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
    const prices = await this.pricesFor(
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
      const check = await this.promotions.check(input.promotionCode, priced.subtotal, now, tx);
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

  async checkPromotion(
    code: string,
    subtotal: number,
    now?: Date,
    tx?: TransactionHandle,
  ): Promise<PromotionCheck> {
    const check = await this.promotions.check(code, subtotal, now, tx);
    return check.ok ? { ok: true, promotion: promotionSummary(check.promotion) } : check;
  }

  redeemPromotion(code: string, orderId: string, tx: TransactionHandle): Promise<PromotionRedemption> {
    return this.promotions.redeem(code, orderId, tx);
  }

  releasePromotion(orderId: string, tx: TransactionHandle): Promise<string | null> {
    return this.promotions.release(orderId, tx);
  }

  shippingOptions(): ShippingOption[] {
    const { region } = this.deps;
    return region.shippingOptions.map((o) => ({
      code: o.code,
      name: o.name,
      price: money(o.price, region.currency),
    }));
  }
}
