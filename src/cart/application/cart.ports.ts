import type { CatalogVariantInfo } from '../../catalog/contract.js';
import type { TransactionHandle } from '../../platform/db/unit-of-work.js';
import type { Quote, QuoteInput, ShippingOption } from '../../pricing/contract.js';

/*
 * Every read below takes the `tx` of the cart's transaction when the caller holds one: it then runs on
 * that connection, never on a second one from the pool (connection-guard.ts).
 */

/** Sellable stock, read fresh (not from a browsing cache) when a line is added or raised. */
export interface StockCheck {
  /** Available quantity per SKU; a SKU inventory does not know is 0. */
  available(skus: readonly string[], tx?: TransactionHandle): Promise<Map<string, number>>;
}

/** What the cart needs to know about SKUs (the catalog). */
export interface VariantDirectory {
  /** The variants with these SKUs; unknown SKUs are left out. */
  find(skus: readonly string[], tx?: TransactionHandle): Promise<CatalogVariantInfo[]>;
}

/** Coupon check outcome, as pricing says it. */
export type CouponCheck = { ok: true; code: string } | { ok: false; code: string; reason: string };

/** Every amount of a cart comes from here (the pricing context): the cart does no money arithmetic. */
export interface CartPricing {
  quote(input: QuoteInput, tx?: TransactionHandle): Promise<Quote>;
  checkPromotion(code: string, subtotal: number, now: Date, tx?: TransactionHandle): Promise<CouponCheck>;
  shippingOptions(): ShippingOption[];
}
