import type { Promotion } from '../domain/promotion.aggregate.js';
import type { PricingDeps } from './pricing.deps.js';
import type { PromotionPosition } from './pricing.repositories.js';

/** The region's promotions, newest first; `next` is the position to continue after, null on the last page. */
export class ListPromotions {
  constructor(private readonly deps: Pick<PricingDeps, 'read'>) {}

  async execute(
    limit: number,
    after: PromotionPosition | null,
  ): Promise<{ items: Promotion[]; next: PromotionPosition | null }> {
    const rows = await this.deps.read.run(({ repos }) => repos.promotions.list(limit + 1, after));
    const items = rows.slice(0, limit);
    const last = items.at(-1);
    return {
      items,
      next: rows.length > limit && last ? { createdAt: last.createdAt, id: last.id } : null,
    };
  }
}
