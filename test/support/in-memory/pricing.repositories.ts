import { ManualClock } from '../../../src/platform/clock.js';
import { type Id, isUuid } from '../../../src/platform/ids.js';
import { regionPreset } from '../../../src/platform/region/region-presets.js';
import type { PricingDeps } from '../../../src/pricing/application/pricing.deps.js';
import type { SkuDirectory } from '../../../src/pricing/application/pricing.ports.js';
import type {
  PriceRepository,
  PricingRepos,
  PromotionPosition,
  PromotionRepository,
  RedeemOutcome,
} from '../../../src/pricing/application/pricing.repositories.js';
import { pricingEventMapper } from '../../../src/pricing/application/pricing-event.mapper.js';
import { Price, type PriceProps } from '../../../src/pricing/domain/price.aggregate.js';
import {
  normalizePromotionCode,
  Promotion,
  type PromotionProps,
} from '../../../src/pricing/domain/promotion.aggregate.js';
import { InMemoryUnitOfWork } from '../in-memory-unit-of-work.js';

/**
 * The pricing repositories in memory, scoped to one region (and currency) like the TypeORM ones: they
 * hand out copies, refuse a second price per SKU and a second promotion per code, and redeem and
 * release the way the SQL does (one redemption per promotion and order; the count never passes the
 * limit nor goes below zero; nothing is written for a rejected redemption).
 */
export class InMemoryPriceRepository implements PriceRepository {
  /** every price of every region, by `region/sku` */
  readonly rows = new Map<string, PriceProps>();

  constructor(
    private readonly region: string,
    private readonly currency: string,
  ) {}

  private key(sku: string): string {
    return `${this.region}/${sku}`;
  }

  async find(sku: string): Promise<Price | null> {
    const row = this.rows.get(this.key(sku));
    return row && row.currency === this.currency ? Price.restore({ ...row }) : null;
  }

  async findForUpdate(sku: string): Promise<Price | null> {
    const row = this.rows.get(this.key(sku));
    // a row left in an old currency is taken over by the new amount in the region's currency
    return row ? Price.restore({ ...row, currency: this.currency }) : null;
  }

  async insert(price: Price): Promise<boolean> {
    const p = price.snapshot();
    if (this.rows.has(this.key(p.sku))) return false;
    this.rows.set(this.key(p.sku), { ...p });
    return true;
  }

  async update(price: Price): Promise<void> {
    const p = price.snapshot();
    this.rows.set(this.key(p.sku), { ...p });
  }

  async findMany(skus: readonly string[]): Promise<Price[]> {
    const found: Price[] = [];
    for (const sku of skus) {
      const price = await this.find(sku);
      if (price) found.push(price);
    }
    return found;
  }
}

export class InMemoryPromotionRepository implements PromotionRepository {
  readonly rows = new Map<Id, PromotionProps>();
  /** redemptions: `promotionId/orderId` */
  readonly redemptions = new Set<string>();

  constructor(private readonly region: string) {}

  private inRegion(): PromotionProps[] {
    return [...this.rows.values()].filter((p) => p.region === this.region);
  }

  async insert(promotion: Promotion): Promise<boolean> {
    const p = promotion.snapshot();
    if (this.inRegion().some((other) => other.code === p.code)) return false;
    this.rows.set(p.id, { ...p });
    return true;
  }

  async findByCode(code: string): Promise<Promotion | null> {
    const row = this.inRegion().find((p) => p.code === normalizePromotionCode(code));
    return row ? Promotion.restore({ ...row }) : null;
  }

  async list(limit: number, after: PromotionPosition | null): Promise<Promotion[]> {
    const newestFirst = (a: PromotionPosition, b: PromotionPosition) =>
      b.createdAt.getTime() - a.createdAt.getTime() || (b.id < a.id ? -1 : b.id > a.id ? 1 : 0);
    return this.inRegion()
      .sort(newestFirst)
      .filter((p) => !after || newestFirst(after, p) < 0)
      .slice(0, limit)
      .map((p) => Promotion.restore({ ...p }));
  }

  /** the order id column is a uuid: Postgres refuses to compare it with anything else */
  private static assertUuid(orderId: Id): void {
    if (!isUuid(orderId)) throw new Error(`invalid input syntax for type uuid: "${orderId}"`);
  }

  async redeem(promotionId: Id, orderId: Id, now: Date): Promise<RedeemOutcome> {
    InMemoryPromotionRepository.assertUuid(orderId);
    const key = `${promotionId}/${orderId}`;
    if (this.redemptions.has(key)) return { kind: 'already_redeemed' };
    const row = this.rows.get(promotionId);
    const t = now.getTime();
    const usable =
      row &&
      (row.usageLimit === null || row.usedCount < row.usageLimit) &&
      (row.startsAt === null || row.startsAt.getTime() <= t) &&
      (row.endsAt === null || row.endsAt.getTime() > t);
    if (!row || !usable) return { kind: 'rejected' };
    this.redemptions.add(key);
    row.usedCount += 1;
    return { kind: 'redeemed', promotion: Promotion.restore({ ...row }) };
  }

  async releaseRedemption(orderId: Id): Promise<string | null> {
    InMemoryPromotionRepository.assertUuid(orderId);
    for (const key of this.redemptions) {
      const [promotionId, redeemedBy] = key.split('/') as [Id, Id];
      if (redeemedBy !== orderId) continue;
      this.redemptions.delete(key);
      const row = this.rows.get(promotionId);
      if (!row || row.region !== this.region) return null;
      row.usedCount = Math.max(row.usedCount - 1, 0);
      return row.code;
    }
    return null;
  }
}

export interface InMemoryPricingRepos extends PricingRepos {
  prices: InMemoryPriceRepository;
  promotions: InMemoryPromotionRepository;
}

export const inMemoryPricingRepos = (region: string, currency: string): InMemoryPricingRepos => ({
  prices: new InMemoryPriceRepository(region, currency),
  promotions: new InMemoryPromotionRepository(region),
});

export interface PricingTestBed {
  deps: PricingDeps;
  repos: InMemoryPricingRepos;
  uow: InMemoryUnitOfWork<InMemoryPricingRepos>;
  clock: ManualClock;
  /** the SKUs the directory knows; null: every SKU (the default directory) */
  knownSkus: Set<string> | null;
}

/** Pricing's deps for one region preset (`eu` by default) over in-memory repositories and a manual clock. */
export const pricingTestBed = (
  opts: { region?: string; start?: string; knownSkus?: string[] } = {},
): PricingTestBed => {
  const region = regionPreset(opts.region ?? 'eu');
  const clock = new ManualClock(opts.start ?? '2026-03-01T12:00:00Z');
  const repos = inMemoryPricingRepos(region.code, region.currency);
  const uow = new InMemoryUnitOfWork(repos, pricingEventMapper(region.code, clock));
  const bed: PricingTestBed = {
    repos,
    uow,
    clock,
    knownSkus: opts.knownSkus ? new Set(opts.knownSkus) : null,
    deps: undefined as unknown as PricingDeps,
  };
  const skuDirectory: SkuDirectory = { exists: async (sku) => bed.knownSkus?.has(sku) ?? true };
  bed.deps = {
    uow,
    read: new InMemoryUnitOfWork(repos),
    clock,
    region: {
      code: region.code,
      currency: region.currency,
      tax: region.tax,
      shippingOptions: region.shippingOptions,
    },
    skuDirectory: () => skuDirectory,
  };
  return bed;
};
