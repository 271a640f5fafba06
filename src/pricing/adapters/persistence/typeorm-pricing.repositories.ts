import type { EntityManager } from 'typeorm';
import { returnedRows } from '../../../platform/db/typeorm-unit-of-work.js';
import type { Id } from '../../../platform/ids.js';
import type {
  PriceRepository,
  PricingRepos,
  PromotionPosition,
  PromotionRepository,
  RedeemOutcome,
} from '../../application/pricing.repositories.js';
import { Price } from '../../domain/price.aggregate.js';
import type { PromotionType } from '../../domain/pricing-engine.service.js';
import { normalizePromotionCode, Promotion } from '../../domain/promotion.aggregate.js';
import { PriceSchema, type PromotionRow, PromotionSchema } from './pricing.entity-schemas.js';

/** Raw rows (snake_case) as `query` returns them. */
interface RawPromotionRow {
  id: string;
  region: string;
  code: string;
  type: string;
  value: number;
  currency: string;
  min_subtotal: number | null;
  starts_at: Date | null;
  ends_at: Date | null;
  usage_limit: number | null;
  used_count: number;
  created_at: Date;
}

const fromRaw = (r: RawPromotionRow): PromotionRow => ({
  id: r.id,
  region: r.region,
  code: r.code,
  type: r.type,
  value: r.value,
  currency: r.currency,
  minSubtotal: r.min_subtotal,
  startsAt: r.starts_at,
  endsAt: r.ends_at,
  usageLimit: r.usage_limit,
  usedCount: r.used_count,
  createdAt: r.created_at,
});

const toPromotion = (row: PromotionRow): Promotion =>
  Promotion.restore({ ...row, type: row.type as PromotionType });

/** Prices of one region in its currency (a row in another currency is not a price of this region). */
export class TypeOrmPriceRepository implements PriceRepository {
  constructor(
    private readonly m: EntityManager,
    private readonly region: string,
    private readonly currency: string,
  ) {}

  async find(sku: string): Promise<Price | null> {
    const row = await this.m.findOne(PriceSchema, {
      where: { region: this.region, sku, currency: this.currency },
    });
    return row ? Price.restore(row) : null;
  }

  async findForUpdate(sku: string): Promise<Price | null> {
    const row = await this.m
      .createQueryBuilder(PriceSchema, 'p')
      .where('p.region = :region AND p.sku = :sku', { region: this.region, sku })
      .setLock('pessimistic_write')
      .getOne();
    // a row left in an old currency is taken over by the new amount in the region's currency
    return row ? Price.restore({ ...row, currency: this.currency }) : null;
  }

  async insert(price: Price): Promise<boolean> {
    const p = price.snapshot();
    const rows: unknown[] = await this.m.query(
      `INSERT INTO pricing_prices (region, sku, amount, currency, updated_at) VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT (region, sku) DO NOTHING RETURNING sku`,
      [p.region, p.sku, p.amount, p.currency, p.updatedAt],
    );
    return rows.length > 0;
  }

  async update(price: Price): Promise<void> {
    const p = price.snapshot();
    await this.m.query(
      'UPDATE pricing_prices SET amount = $3, currency = $4, updated_at = $5 WHERE region = $1 AND sku = $2',
      [p.region, p.sku, p.amount, p.currency, p.updatedAt],
    );
  }

  async findMany(skus: readonly string[]): Promise<Price[]> {
    if (skus.length === 0) return [];
    const rows: { region: string; sku: string; amount: number; currency: string; updated_at: Date }[] =
      await this.m.query(
        'SELECT region, sku, amount, currency, updated_at FROM pricing_prices WHERE region = $1 AND currency = $2 AND sku = ANY($3::text[])',
        [this.region, this.currency, [...skus]],
      );
    return rows.map((r) => Price.restore({ ...r, updatedAt: r.updated_at }));
  }
}

const PROMOTION_COLUMNS =
  'id, region, code, type, value, currency, min_subtotal, starts_at, ends_at, usage_limit, used_count, created_at';

export class TypeOrmPromotionRepository implements PromotionRepository {
  constructor(
    private readonly m: EntityManager,
    private readonly region: string,
  ) {}

  async insert(promotion: Promotion): Promise<boolean> {
    const p = promotion.snapshot();
    const rows: unknown[] = await this.m.query(
      `INSERT INTO pricing_promotions (${PROMOTION_COLUMNS})
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)
       ON CONFLICT (region, code) DO NOTHING RETURNING id`,
      [
        p.id,
        p.region,
        p.code,
        p.type,
        p.value,
        p.currency,
        p.minSubtotal,
        p.startsAt,
        p.endsAt,
        p.usageLimit,
        p.usedCount,
        p.createdAt,
      ],
    );
    return rows.length > 0;
  }

  async findByCode(code: string): Promise<Promotion | null> {
    const row = await this.m.findOne(PromotionSchema, {
      where: { region: this.region, code: normalizePromotionCode(code) },
    });
    return row ? toPromotion(row) : null;
  }

  async list(limit: number, after: PromotionPosition | null): Promise<Promotion[]> {
    const rows: RawPromotionRow[] = after
      ? await this.m.query(
          `SELECT ${PROMOTION_COLUMNS} FROM pricing_promotions
           WHERE region = $1 AND (created_at, id) < ($2, $3)
           ORDER BY created_at DESC, id DESC LIMIT $4`,
          [this.region, after.createdAt, after.id, limit],
        )
      : await this.m.query(
          `SELECT ${PROMOTION_COLUMNS} FROM pricing_promotions
           WHERE region = $1 ORDER BY created_at DESC, id DESC LIMIT $2`,
          [this.region, limit],
        );
    return rows.map((r) => toPromotion(fromRaw(r)));
  }

  async redeem(promotionId: Id, orderId: Id, now: Date): Promise<RedeemOutcome> {
    // A savepoint, so that a rejected redemption leaves no row behind even if the caller's
    // transaction goes on and commits.
    await this.m.query('SAVEPOINT pricing_redeem');
    try {
      const inserted: unknown[] = await this.m.query(
        `INSERT INTO pricing_promotion_redemptions (promotion_id, order_id, redeemed_at) VALUES ($1, $2, $3)
         ON CONFLICT (promotion_id, order_id) DO NOTHING RETURNING order_id`,
        [promotionId, orderId, now],
      );
      if (inserted.length === 0) {
        await this.m.query('RELEASE SAVEPOINT pricing_redeem');
        return { kind: 'already_redeemed' };
      }
      // One conditional increment. Concurrent ones queue on the row lock, and each re-checks the
      // condition against the row as the previous one committed it: the limit cannot be passed.
      const updated: [RawPromotionRow[], number] = await this.m.query(
        `UPDATE pricing_promotions SET used_count = used_count + 1
         WHERE id = $1
           AND (usage_limit IS NULL OR used_count < usage_limit)
           AND (starts_at IS NULL OR starts_at <= $2)
           AND (ends_at IS NULL OR ends_at > $2)
         RETURNING ${PROMOTION_COLUMNS}`,
        [promotionId, now],
      );
      const row = updated[0][0];
      if (!row) {
        await this.m.query('ROLLBACK TO SAVEPOINT pricing_redeem');
        await this.m.query('RELEASE SAVEPOINT pricing_redeem');
        return { kind: 'rejected' };
      }
      await this.m.query('RELEASE SAVEPOINT pricing_redeem');
      return { kind: 'redeemed', promotion: toPromotion(fromRaw(row)) };
    } catch (err) {
      await this.m.query('ROLLBACK TO SAVEPOINT pricing_redeem').catch(() => {});
      throw err;
    }
  }

  async releaseRedemption(orderId: Id): Promise<string | null> {
    // one statement: the redemption row goes and its promotion's count comes down with it
    const rows: { code: string }[] = await this.m.query(
      `WITH gone AS (
         DELETE FROM pricing_promotion_redemptions WHERE order_id = $1 RETURNING promotion_id
       )
       UPDATE pricing_promotions p SET used_count = GREATEST(p.used_count - 1, 0)
         FROM gone WHERE p.id = gone.promotion_id AND p.region = $2
       RETURNING p.code`,
      [orderId, this.region],
    );
    return returnedRows<{ code: string }>(rows)[0]?.code ?? null;
  }
}

export const pricingRepos =
  (region: string, currency: string) =>
  (m: EntityManager): PricingRepos => ({
    prices: new TypeOrmPriceRepository(m, region, currency),
    promotions: new TypeOrmPromotionRepository(m, region),
  });
