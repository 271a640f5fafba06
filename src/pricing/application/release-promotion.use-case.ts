import type { TransactionHandle } from '../../platform/db/unit-of-work.js';
import { isUuid } from '../../platform/ids.js';
import type { PricingDeps } from './pricing.deps.js';

/** Takes back the redemption of `orderId` inside the caller's transaction (idempotent); the code, or null. */
export class ReleasePromotion {
  constructor(private readonly deps: Pick<PricingDeps, 'uow'>) {}

  execute(orderId: string, tx: TransactionHandle): Promise<string | null> {
    if (!isUuid(orderId)) return Promise.resolve(null);
    return this.deps.uow.join(tx, ({ repos }) => repos.promotions.releaseRedemption(orderId));
  }
}
