import { type Money, money } from '../../platform/money.js';
import type { PromotionRejectionReason } from '../../pricing/contract.js';
import type { Cart } from '../domain/cart.aggregate.js';
import type { CartDeps } from './cart.deps.js';
import { quoteCart, variantsOf } from './cart-catalog.service.js';

export interface PricedCartItem {
  sku: string;
  /** the product name in the region's default locale */
  name: string;
  quantity: number;
  unitPrice: Money;
  /** unitPrice × quantity, as pricing computed it */
  subtotal: Money;
  /** this line's share of the coupon discount */
  discount: Money;
  /** subtotal − discount, as pricing computed it */
  lineTotal: Money;
}

/** A line kept in the cart that cannot be bought now; it is left out of every amount. */
export interface UnavailableCartLine {
  sku: string;
  name: string | null;
  quantity: number;
  /** unknown: the SKU left the catalog; inactive: its product is draft or archived; no_price: no price in this region */
  reason: 'unknown' | 'inactive' | 'no_price';
}

/** A cart with every amount from the pricing engine. */
export interface PricedCart {
  cart: Cart;
  currency: string;
  taxMode: 'inclusive' | 'exclusive';
  items: PricedCartItem[];
  unavailable: UnavailableCartLine[];
  subtotal: Money;
  discount: Money;
  shipping: Money;
  tax: Money;
  total: Money;
  /** the coupon and whether it applies now (and if not, why); null without a coupon */
  promotion: { code: string; applied: boolean; reason?: PromotionRejectionReason } | null;
}

/**
 * Prices the cart through pricing: lines whose SKU is unknown, inactive or unpriced are listed in
 * `unavailable` and left out of every amount; a coupon that stopped applying shows why.
 */
export class PriceCart {
  constructor(private readonly deps: CartDeps) {}

  async execute(cart: Cart): Promise<PricedCart> {
    const now = this.deps.clock.now();
    const variants = await variantsOf(
      this.deps,
      cart.lines.map((l) => l.sku),
    );
    const quote = await quoteCart(this.deps, cart, now, cart.promotionCode, undefined, variants);
    const quoted = new Map(quote.lines.map((l) => [l.sku, l]));
    const m = (amount: number) => money(amount, quote.currency);
    const items: PricedCartItem[] = [];
    const unavailable: UnavailableCartLine[] = [];
    for (const line of cart.lines) {
      const variant = variants.get(line.sku);
      const q = quoted.get(line.sku);
      if (variant && q) {
        items.push({
          sku: line.sku,
          name: variant.productName,
          quantity: line.quantity,
          unitPrice: m(q.unitPrice),
          subtotal: m(q.subtotal),
          discount: m(q.discount),
          lineTotal: m(q.total),
        });
      } else {
        unavailable.push({
          sku: line.sku,
          name: variant?.productName ?? null,
          quantity: line.quantity,
          reason: !variant ? 'unknown' : variant.status !== 'active' ? 'inactive' : 'no_price',
        });
      }
    }
    return {
      cart,
      currency: quote.currency,
      taxMode: quote.taxMode,
      items,
      unavailable,
      subtotal: m(quote.subtotal),
      discount: m(quote.discount),
      shipping: m(quote.shipping),
      tax: m(quote.tax),
      total: m(quote.total),
      promotion: quote.promotion,
    };
  }
}
