import type { TransactionHandle } from '../../platform/db/unit-of-work.js';
import { ValidationError } from '../../platform/errors.js';
import { isUuid } from '../../platform/ids.js';
import type { PromotionRedemption } from '../contract.js';
import { PromotionNotApplicableError } from '../domain/pricing.errors.js';
import { isPromotionCode } from '../domain/promotion.aggregate.js';
import type { PricingDeps } from './pricing.deps.js';

/**
 * Counts one use by `orderId` inside the caller's transaction, with `PromotionRedeemed` in its outbox.
 * Idempotent per order. A rejected redemption leaves nothing behind, even if the caller goes on.
 */
export class RedeemPromotion {
  constructor(private readonly deps: Pick<PricingDeps, 'uow' | 'clock'>) {}

  execute(code: string, orderId: string, tx: TransactionHandle): Promise<PromotionRedemption> {
    if (!isUuid(orderId)) {
      throw new ValidationError('The order id is invalid', [{ path: 'orderId', message: 'must be a UUID' }]);
    }
    const now = this.deps.clock.now();
    return this.deps.uow.join(tx, async ({ repos, track }) => {
      const promotion = isPromotionCode(code) ? await repos.promotions.findByCode(code) : null;
      if (!promotion) throw new PromotionNotApplicableError(code, 'unknown');
      const outcome = await repos.promotions.redeem(promotion.id, orderId, now);
      const result = { promotionId: promotion.id, code: promotion.code, orderId };
      switch (outcome.kind) {
        case 'redeemed':
          track(outcome.promotion).redeemedFor(orderId, now);
          return { ...result, alreadyRedeemed: false };
        case 'already_redeemed':
          return { ...result, alreadyRedeemed: true };
        case 'rejected': {
          // the row as the failed increment saw it (latest committed): say why
          const latest = await repos.promotions.findByCode(code);
          throw new PromotionNotApplicableError(
            promotion.code,
            latest?.rejectionAt(now, null) ?? (latest ? 'used_up' : 'unknown'),
          );
        }
      }
    });
  }
}
