import { readWithin, type TransactionHandle } from '../../platform/db/unit-of-work.js';
import { ConflictError, NotFoundError, ValidationError } from '../../platform/errors.js';
import { isUuid, newId } from '../../platform/ids.js';
import { PromotionNotApplicableError, type PromotionRejectionReason } from '../domain/pricing.errors.js';
import type { PromotionType } from '../domain/pricing-engine.js';
import { isPromotionCode, Promotion } from '../domain/promotion.aggregate.js';
import type { PricingDeps } from './pricing.deps.js';
import type { PromotionPosition } from './pricing.repositories.js';

export interface CreatePromotionInput {
  code: string;
  type: PromotionType;
  value: number;
  minSubtotal?: number | null;
  startsAt?: Date | null;
  endsAt?: Date | null;
  usageLimit?: number | null;
}

export type PromotionEligibility =
  | { ok: true; promotion: Promotion }
  | { ok: false; code: string; reason: PromotionRejectionReason };

export interface RedemptionResult {
  promotionId: string;
  code: string;
  orderId: string;
  alreadyRedeemed: boolean;
}

/** Coupons of the region: created by admins, checked by the cart, redeemed by orders. */
export class PromotionUseCases {
  constructor(private readonly deps: PricingDeps) {}

  create(input: CreatePromotionInput): Promise<Promotion> {
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

  async get(code: string): Promise<Promotion> {
    const promotion = isPromotionCode(code)
      ? await this.deps.read.run(({ repos }) => repos.promotions.findByCode(code))
      : null;
    if (!promotion) throw new NotFoundError(`Promotion ${code}`);
    return promotion;
  }

  /** Newest first; `next` is the position to continue after, null on the last page. */
  async list(
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

  /** Whether `code` can be used at `now` for an order of `subtotal` minor units, and if not, why. */
  async check(
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

  /** Takes back the redemption of `orderId` inside the caller's transaction (idempotent). */
  release(orderId: string, tx: TransactionHandle): Promise<string | null> {
    if (!isUuid(orderId)) return Promise.resolve(null);
    return this.deps.uow.join(tx, ({ repos }) => repos.promotions.releaseRedemption(orderId));
  }

  /**
   * Counts one use by `orderId` inside the caller's transaction, with `PromotionRedeemed` in its outbox.
   * Idempotent per order. A rejected redemption leaves nothing behind, even if the caller goes on.
   */
  redeem(code: string, orderId: string, tx: TransactionHandle): Promise<RedemptionResult> {
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
