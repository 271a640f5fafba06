import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { Guards } from '../../../platform/http/auth.js';
import { problemResponses } from '../../../platform/http/problem.js';
import type { CreatePromotion } from '../../application/create-promotion.use-case.js';
import type { GetPrice } from '../../application/get-price.query.js';
import type { GetPromotion } from '../../application/get-promotion.query.js';
import type { ListPromotions } from '../../application/list-promotions.query.js';
import type { SetPrice } from '../../application/set-price.use-case.js';
import type { Price } from '../../domain/price.aggregate.js';
import type { Promotion } from '../../domain/promotion.aggregate.js';
import {
  createPromotionBody,
  encodeCursor,
  listPromotionsQuery,
  priceSchema,
  promotionCodeParams,
  promotionPageSchema,
  promotionSchema,
  setPriceBody,
  skuParams,
} from './pricing.schemas.js';

/** The use cases and queries the pricing routes call. */
export interface PricingRouteUseCases {
  setPrice: SetPrice;
  getPrice: GetPrice;
  createPromotion: CreatePromotion;
  listPromotions: ListPromotions;
  getPromotion: GetPromotion;
}

export interface PricingRouteDeps {
  useCases: PricingRouteUseCases;
  guards: Guards;
}

const priceView = (p: Price) => ({
  sku: p.sku,
  price: { amount: p.amount, currency: p.currency },
  updatedAt: p.updatedAt.toISOString(),
});

const promotionView = (p: Promotion) => ({
  id: p.id,
  code: p.code,
  type: p.type,
  value: p.value,
  amount: p.type === 'fixed' ? { amount: p.value, currency: p.currency } : null,
  minSubtotal: p.minSubtotal === null ? null : { amount: p.minSubtotal, currency: p.currency },
  startsAt: p.startsAt?.toISOString() ?? null,
  endsAt: p.endsAt?.toISOString() ?? null,
  usageLimit: p.usageLimit,
  usedCount: p.usedCount,
  createdAt: p.createdAt.toISOString(),
});

const secured = [{ bearer: [] }];
const tags = ['pricing', 'admin'];

/** Staff routes of pricing: the region's price list and its promotions. Admins only. */
export const pricingRoutes: FastifyPluginAsyncZod<PricingRouteDeps> = async (app, deps) => {
  const { useCases: uc, guards } = deps;
  const adminOnly = guards.requireRoles('admin');

  app.put(
    '/api/v1/admin/prices/:sku',
    {
      onRequest: adminOnly,
      schema: {
        tags,
        summary: 'Set the list price of a SKU (admin)',
        description:
          'Amount in minor units of the region currency (tax included where the region includes it). `PriceChanged` is published when the amount changes.',
        security: secured,
        params: skuParams,
        body: setPriceBody,
        response: { 200: priceSchema, ...problemResponses(400, 401, 403, 404) },
      },
    },
    async (req) => priceView(await uc.setPrice.execute(req.params.sku, req.body.amount)),
  );

  app.get(
    '/api/v1/admin/prices/:sku',
    {
      onRequest: adminOnly,
      schema: {
        tags,
        summary: 'The list price of a SKU (admin)',
        security: secured,
        params: skuParams,
        response: { 200: priceSchema, ...problemResponses(400, 401, 403, 404) },
      },
    },
    async (req) => priceView(await uc.getPrice.execute(req.params.sku)),
  );

  app.post(
    '/api/v1/admin/promotions',
    {
      onRequest: adminOnly,
      schema: {
        tags,
        summary: 'Create a promotion code (admin)',
        description:
          'Percentage (1–100) or fixed amount off the subtotal, optional minimum subtotal, validity window [startsAt, endsAt) and usage limit. Codes are case-insensitive; a taken code is 409.',
        security: secured,
        body: createPromotionBody,
        response: { 201: promotionSchema, ...problemResponses(400, 401, 403, 409) },
      },
    },
    async (req, reply) => {
      const b = req.body;
      const promotion = await uc.createPromotion.execute({
        code: b.code,
        type: b.type,
        value: b.value,
        minSubtotal: b.minSubtotal ?? null,
        startsAt: b.startsAt ? new Date(b.startsAt) : null,
        endsAt: b.endsAt ? new Date(b.endsAt) : null,
        usageLimit: b.usageLimit ?? null,
      });
      return reply.status(201).send(promotionView(promotion));
    },
  );

  app.get(
    '/api/v1/admin/promotions',
    {
      onRequest: adminOnly,
      schema: {
        tags,
        summary: 'List promotions, newest first (admin)',
        security: secured,
        querystring: listPromotionsQuery,
        response: { 200: promotionPageSchema, ...problemResponses(400, 401, 403) },
      },
    },
    async (req) => {
      const page = await uc.listPromotions.execute(req.query.limit, req.query.cursor ?? null);
      return {
        items: page.items.map(promotionView),
        nextCursor: page.next ? encodeCursor(page.next) : null,
      };
    },
  );

  app.get(
    '/api/v1/admin/promotions/:code',
    {
      onRequest: adminOnly,
      schema: {
        tags,
        summary: 'A promotion by code (admin)',
        security: secured,
        params: promotionCodeParams,
        response: { 200: promotionSchema, ...problemResponses(400, 401, 403, 404) },
      },
    },
    async (req) => promotionView(await uc.getPromotion.execute(req.params.code)),
  );
};
