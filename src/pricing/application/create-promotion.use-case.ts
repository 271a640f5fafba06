import { ConflictError } from '../../platform/errors.js';
import { newId } from '../../platform/ids.js';
import type { PromotionType } from '../domain/pricing-engine.service.js';
import { Promotion } from '../domain/promotion.aggregate.js';
import type { PricingDeps } from './pricing.deps.js';

export interface CreatePromotionInput {
  code: string;
  type: PromotionType;
  value: number;
  minSubtotal?: number | null;
  startsAt?: Date | null;
  endsAt?: Date | null;
  usageLimit?: number | null;
}

/** A coupon of the region, created by an admin; a code taken in the region is 409. */
export class CreatePromotion {
  constructor(private readonly deps: Pick<PricingDeps, 'uow' | 'region' | 'clock'>) {}

  execute(input: CreatePromotionInput): Promise<Promotion> {
    const promotion = Promotion.create({
      ...input,
      id: newId(),
      region: this.deps.region.code,
      currency: this.deps.region.currency,
      now: this.deps.clock.now(),
    });
    return this.deps.uow.run(async ({ repos, track }) => {
      if (!(await repos.promotions.insert(track(promotion)))) {
        throw new ConflictError(`A promotion with the code ${promotion.code} exists already`);
      }
      return promotion;
    });
  }
}
