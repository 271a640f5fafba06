import { readWithin, type TransactionHandle } from '../../platform/db/unit-of-work.js';
import type { PromotionRejectionReason } from '../domain/pricing.errors.js';
import { isPromotionCode, type Promotion } from '../domain/promotion.aggregate.js';
import type { PricingDeps } from './pricing.deps.js';

export type PromotionEligibility =
  | { ok: true; promotion: Promotion }
  | { ok: false; code: string; reason: PromotionRejectionReason };

/** Whether `code` can be used at `now` for an order of `subtotal` minor units, and if not, why. */
export class CheckPromotion {
  constructor(private readonly deps: Pick<PricingDeps, 'read' | 'clock'>) {}

  async execute(
    code: string,
    subtotal: number,
    now: Date = this.deps.clock.now(),
    tx?: TransactionHandle,
  ): Promise<PromotionEligibility> {
    const promotion = isPromotionCode(code)
      ? await readWithin(this.deps.read, tx, ({ repos }) => repos.promotions.findByCode(code))
      : null;
    if (!promotion) return { ok: false, code, reason: 'unknown' };
    const reason = promotion.rejectionAt(now, subtotal);
    return reason ? { ok: false, code: promotion.code, reason } : { ok: true, promotion };
  }
}
