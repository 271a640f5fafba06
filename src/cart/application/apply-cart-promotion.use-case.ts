import { PromotionNotApplicableError, type PromotionRejectionReason } from '../../pricing/contract.js';
import type { Cart } from '../domain/cart.aggregate.js';
import type { CartDeps } from './cart.deps.js';
import { type Caller, changeAccessibleCart } from './cart-access.service.js';
import { quoteCart } from './cart-catalog.service.js';

/**
 * Applies a coupon if pricing says it can be used now for this cart's subtotal; otherwise 409
 * CONFLICT naming the reason (unknown, not_started, expired, used_up, min_subtotal_not_met).
 */
export class ApplyCartPromotion {
  constructor(private readonly deps: CartDeps) {}

  execute(id: string, caller: Caller, code: string): Promise<Cart> {
    return changeAccessibleCart(this.deps, id, caller, async (cart, now, tx) => {
      const quote = await quoteCart(this.deps, cart, now, null, tx);
      const check = await this.deps.pricing.checkPromotion(code, quote.subtotal, now, tx);
      if (!check.ok)
        throw new PromotionNotApplicableError(check.code, check.reason as PromotionRejectionReason);
      cart.applyPromotion(check.code, now);
    });
  }
}
