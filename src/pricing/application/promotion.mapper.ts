import { money } from '../../platform/money.js';
import type { PromotionSummary } from '../contract.js';
import type { Promotion } from '../domain/promotion.aggregate.js';

/** A promotion as the facade shows it to other contexts. */
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
