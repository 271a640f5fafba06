import { NotFoundError } from '../../platform/errors.js';
import { isPromotionCode, type Promotion } from '../domain/promotion.aggregate.js';
import type { PricingDeps } from './pricing.deps.js';

/** A promotion by code, case-insensitively (404 when there is none). */
export class GetPromotion {
  constructor(private readonly deps: Pick<PricingDeps, 'read'>) {}

  async execute(code: string): Promise<Promotion> {
    const promotion = isPromotionCode(code)
      ? await this.deps.read.run(({ repos }) => repos.promotions.findByCode(code))
      : null;
    if (!promotion) throw new NotFoundError(`Promotion ${code}`);
    return promotion;
  }
}
