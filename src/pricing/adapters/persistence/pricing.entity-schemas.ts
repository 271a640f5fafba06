import { EntitySchema } from 'typeorm';

/** Row shapes of the pricing tables; mapping to the domain lives in the repositories. */
export interface PriceRow {
  region: string;
  sku: string;
  amount: number;
  currency: string;
  updatedAt: Date;
}

export interface PromotionRow {
  id: string;
  region: string;
  code: string;
  type: string;
  value: number;
  currency: string;
  minSubtotal: number | null;
  startsAt: Date | null;
  endsAt: Date | null;
  usageLimit: number | null;
  usedCount: number;
  createdAt: Date;
}

export interface PromotionRedemptionRow {
  promotionId: string;
  orderId: string;
  redeemedAt: Date;
}

const ts = { type: 'timestamptz' as const };

export const PriceSchema = new EntitySchema<PriceRow>({
  name: 'PricingPrice',
  tableName: 'pricing_prices',
  columns: {
    region: { type: 'text', primary: true },
    sku: { type: 'text', primary: true },
    amount: { type: 'int' },
    currency: { type: 'char', length: 3 },
    updatedAt: { ...ts, name: 'updated_at' },
  },
});

export const PromotionSchema = new EntitySchema<PromotionRow>({
  name: 'PricingPromotion',
  tableName: 'pricing_promotions',
  columns: {
    id: { type: 'uuid', primary: true },
    region: { type: 'text' },
    code: { type: 'text' },
    type: { type: 'text' },
    value: { type: 'int' },
    currency: { type: 'char', length: 3 },
    minSubtotal: { type: 'int', name: 'min_subtotal', nullable: true },
    startsAt: { ...ts, name: 'starts_at', nullable: true },
    endsAt: { ...ts, name: 'ends_at', nullable: true },
    usageLimit: { type: 'int', name: 'usage_limit', nullable: true },
    usedCount: { type: 'int', name: 'used_count' },
    createdAt: { ...ts, name: 'created_at' },
  },
});

export const PromotionRedemptionSchema = new EntitySchema<PromotionRedemptionRow>({
  name: 'PricingPromotionRedemption',
  tableName: 'pricing_promotion_redemptions',
  columns: {
    promotionId: { type: 'uuid', primary: true, name: 'promotion_id' },
    orderId: { type: 'uuid', primary: true, name: 'order_id' },
    redeemedAt: { ...ts, name: 'redeemed_at' },
  },
});

export const PRICING_ENTITIES = [PriceSchema, PromotionSchema, PromotionRedemptionSchema];
