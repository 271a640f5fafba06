import type { Id } from '../../platform/ids.js';
import type { Price } from '../domain/price.aggregate.js';
import type { Promotion } from '../domain/promotion.aggregate.js';

/** Persistence ports of pricing, scoped to the region (and currency) the process serves. */
export interface PriceRepository {
  find(sku: string): Promise<Price | null>;
  /** Locks the row for the rest of the transaction. */
  findForUpdate(sku: string): Promise<Price | null>;
  /** Inserts; false when the SKU has a price already (a concurrent insert), without aborting the transaction. */
  insert(price: Price): Promise<boolean>;
  update(price: Price): Promise<void>;
  findMany(skus: readonly string[]): Promise<Price[]>;
}

/** Keyset position in the newest-first listing. */
export interface PromotionPosition {
  createdAt: Date;
  id: Id;
}

export type RedeemOutcome =
  | { kind: 'redeemed'; promotion: Promotion }
  | { kind: 'already_redeemed' }
  /** no use left, or outside the validity window at `now`: nothing was written */
  | { kind: 'rejected' };

export interface PromotionRepository {
  /** Inserts; false when the code is taken in this region, without aborting the transaction. */
  insert(promotion: Promotion): Promise<boolean>;
  /** By code, case-insensitively. */
  findByCode(code: string): Promise<Promotion | null>;
  /** Newest first, strictly after `after`. */
  list(limit: number, after: PromotionPosition | null): Promise<Promotion[]>;
  /**
   * Counts one use for `orderId` atomically: a redemption row (unique per promotion and order) and one
   * conditional increment that only succeeds while a use is left and `now` is inside the window. Under
   * concurrency the database serialises the increments, so the count never passes the limit.
   */
  redeem(promotionId: Id, orderId: Id, now: Date): Promise<RedeemOutcome>;
  /** Takes back the order's redemption of any promotion (used count − 1); the code, or null when it had none. */
  releaseRedemption(orderId: Id): Promise<string | null>;
}

export interface PricingRepos {
  prices: PriceRepository;
  promotions: PromotionRepository;
}
