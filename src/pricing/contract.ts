/**
 * The pricing context's public surface: its integration events (versioned zod schemas, ids and
 * values only) and the facade other contexts call. Pricing is the only place money is computed.
 */
import { z } from 'zod';
import type { TransactionHandle } from '../platform/db/unit-of-work.js';
import { eventType } from '../platform/messaging/integration-event.js';
import type { Money } from '../platform/money.js';
import type { PromotionRejectionReason } from './domain/pricing.errors.js';

export const PRICING_CONTEXT = 'pricing';

export const priceChangedV1 = z.object({
  sku: z.string(),
  /** integer minor units of `currency` */
  amount: z.number().int(),
  currency: z.string().length(3),
});
export const promotionRedeemedV1 = z.object({ code: z.string(), orderId: z.uuid() });

export type PriceChangedV1 = z.infer<typeof priceChangedV1>;
export type PromotionRedeemedV1 = z.infer<typeof promotionRedeemedV1>;

export const PricingEventTypes = {
  PriceChanged: eventType(PRICING_CONTEXT, 'PriceChanged'),
  PromotionRedeemed: eventType(PRICING_CONTEXT, 'PromotionRedeemed'),
} as const;

export type { PromotionRejectionReason } from './domain/pricing.errors.js';

/** A line to quote: the SKU's list price comes from the price list of the region. */
export interface QuoteLineInput {
  sku: string;
  /** integer ≥ 1 */
  quantity: number;
  /** the tax class of the SKU; must be one of the region's tax classes */
  taxClass: string;
}

export interface QuoteInput {
  lines: readonly QuoteLineInput[];
  /** a coupon to apply; an inapplicable one is reported in `promotion`, not thrown */
  promotionCode?: string | null;
  /** a shipping option code of the region (see shippingOptions()); unknown → 400 VALIDATION_FAILED */
  shippingOption?: string | null;
  /** the instant the promotion's validity window is checked at; defaults to the clock */
  now?: Date;
}

/** A priced line; every amount is integer minor units of the quote's currency. */
export interface QuotedLine {
  sku: string;
  quantity: number;
  taxClass: string;
  unitPrice: number;
  subtotal: number;
  discount: number;
  total: number;
  tax: number;
}

/**
 * A priced set of lines. Amounts are integer minor units of `currency`. `taxMode` says whether `tax`
 * is contained in the totals (inclusive) or was added to `total` (exclusive).
 */
export interface Quote {
  currency: string;
  taxMode: 'inclusive' | 'exclusive';
  lines: QuotedLine[];
  subtotal: number;
  discount: number;
  shipping: number;
  shippingTax: number;
  tax: number;
  total: number;
  promotion: { code: string; applied: boolean; reason?: PromotionRejectionReason } | null;
  shippingOption: { code: string; name: string } | null;
  /** SKUs of input lines that have no price in this region; they are left out of every amount */
  missingPrices: string[];
}

export interface PromotionSummary {
  id: string;
  code: string;
  type: 'percentage' | 'fixed';
  value: number;
  minSubtotal: Money | null;
  startsAt: Date | null;
  endsAt: Date | null;
  usageLimit: number | null;
  usedCount: number;
}

export type PromotionCheck =
  | { ok: true; promotion: PromotionSummary }
  | { ok: false; code: string; reason: PromotionRejectionReason };

export interface PromotionRedemption {
  promotionId: string;
  code: string;
  orderId: string;
  /** true when this order had redeemed it before: nothing was counted again */
  alreadyRedeemed: boolean;
}

export interface ShippingOption {
  code: string;
  name: string;
  price: Money;
}

/**
 * What other contexts (cart, orders, catalog) may ask of pricing. A caller inside a transaction passes
 * its `tx` to the reads: they run on that connection instead of asking the pool for another.
 */
export interface PricingFacade {
  /** List prices of the given SKUs in this region; SKUs without a price are absent from the map. */
  pricesFor(skus: readonly string[], tx?: TransactionHandle): Promise<Map<string, Money>>;
  /** Prices lines with an optional coupon and shipping option (engine rules in docs/pricing.md). */
  quote(input: QuoteInput, tx?: TransactionHandle): Promise<Quote>;
  /** Whether the code can be used now for this subtotal (minor units), and if not, why. */
  checkPromotion(code: string, subtotal: number, now?: Date, tx?: TransactionHandle): Promise<PromotionCheck>;
  /**
   * Counts one use of the promotion by `orderId` inside the caller's transaction `tx`, with its
   * `PromotionRedeemed` outbox event. The usage limit holds under any concurrency; the same order
   * twice counts once. Throws 409 CONFLICT (`PromotionNotApplicableError`, with `reason`) when the
   * code is unknown, outside its window or used up. The minimum subtotal is the quote's business.
   */
  redeemPromotion(code: string, orderId: string, tx: TransactionHandle): Promise<PromotionRedemption>;
  /**
   * Takes back the redemption `orderId` made (checkout's compensation of a declined, cancelled or
   * expired order), inside `tx`: the usage count comes down by one. Idempotent; returns the code, or
   * null when the order had redeemed nothing.
   */
  releasePromotion(orderId: string, tx: TransactionHandle): Promise<string | null>;
  /** The region's shipping options with their prices. */
  shippingOptions(): ShippingOption[];
}

/** 409 CONFLICT thrown by redeemPromotion; `reason` says why. */
export { PromotionNotApplicableError } from './domain/pricing.errors.js';
