import type { DataSource } from 'typeorm';
import { Pricing1763700000200 } from '../../migrations/1763700000200-pricing.js';
import type { Clock } from '../platform/clock.js';
import { TypeOrmReader, TypeOrmUnitOfWork } from '../platform/db/typeorm-unit-of-work.js';
import { type ContextModule, defineContext } from '../platform/module/context-module.js';
import type { Platform } from '../platform/platform.js';
import type { RegionPreset } from '../platform/region/region-presets.js';
import { acceptAllSkuDirectory } from './adapters/catalog/accept-all.sku-directory.js';
import { type PricingRouteUseCases, pricingRoutes } from './adapters/http/pricing.routes.js';
import { PRICING_ENTITIES } from './adapters/persistence/pricing.entity-schemas.js';
import { pricingRepos } from './adapters/persistence/typeorm-pricing.repositories.js';
import { CheckPromotion } from './application/check-promotion.query.js';
import { CreatePromotion } from './application/create-promotion.use-case.js';
import { GetPrice } from './application/get-price.query.js';
import { GetPrices } from './application/get-prices.query.js';
import { GetPromotion } from './application/get-promotion.query.js';
import { GetQuote } from './application/get-quote.query.js';
import { ListPromotions } from './application/list-promotions.query.js';
import { ListShippingOptions } from './application/list-shipping-options.query.js';
import type { PricingDeps } from './application/pricing.deps.js';
import type { SkuDirectory } from './application/pricing.ports.js';
import { pricingEventMapper } from './application/pricing-event.mapper.js';
import { promotionSummary } from './application/promotion.mapper.js';
import { RedeemPromotion } from './application/redeem-promotion.use-case.js';
import { ReleasePromotion } from './application/release-promotion.use-case.js';
import { SetPrice } from './application/set-price.use-case.js';
import type { PricingFacade } from './contract.js';

export { PRICING_ENTITIES } from './adapters/persistence/pricing.entity-schemas.js';
export type { SkuDirectory } from './application/pricing.ports.js';

export interface PricingModule extends ContextModule<PricingFacade> {
  /** for the demo-data seeder: same rules and events as PUT /api/v1/admin/prices/:sku */
  admin: { setPrice(sku: string, amount: number): Promise<void> };
}

export interface PricingDependencies {
  /** the catalog's knowledge of SKUs: prices are kept only for SKUs it knows */
  skus: SkuDirectory;
}

export interface PricingServices extends PricingRouteUseCases {
  facade: PricingFacade;
  prices: GetPrices;
  quote: GetQuote;
  checkPromotion: CheckPromotion;
  redeemPromotion: RedeemPromotion;
  releasePromotion: ReleasePromotion;
  shippingOptions: ListShippingOptions;
}

/** The use cases and facade of pricing over one data source, for one region. */
export const createPricingServices = (opts: {
  dataSource: DataSource;
  region: RegionPreset;
  clock: Clock;
  /** default: every well-formed SKU exists (tests that build pricing alone) */
  skuDirectory?: SkuDirectory;
}): PricingServices => {
  const { dataSource, region, clock } = opts;
  const repos = pricingRepos(region.code, region.currency);
  const skuDirectory = opts.skuDirectory ?? acceptAllSkuDirectory;
  const deps: PricingDeps = {
    uow: new TypeOrmUnitOfWork(dataSource, repos, pricingEventMapper(region.code, clock)),
    read: new TypeOrmReader(dataSource, repos),
    clock,
    region: {
      code: region.code,
      currency: region.currency,
      tax: region.tax,
      shippingOptions: region.shippingOptions,
    },
    skuDirectory: () => skuDirectory,
  };
  const prices = new GetPrices(deps);
  const checkPromotion = new CheckPromotion(deps);
  const quote = new GetQuote(deps, prices, checkPromotion);
  const redeemPromotion = new RedeemPromotion(deps);
  const releasePromotion = new ReleasePromotion(deps);
  const shippingOptions = new ListShippingOptions(deps);
  const facade: PricingFacade = {
    pricesFor: (skus, tx) => prices.execute(skus, tx),
    quote: (input, tx) => quote.execute(input, tx),
    checkPromotion: async (code, subtotal, now, tx) => {
      const check = await checkPromotion.execute(code, subtotal, now, tx);
      return check.ok ? { ok: true, promotion: promotionSummary(check.promotion) } : check;
    },
    redeemPromotion: (code, orderId, tx) => redeemPromotion.execute(code, orderId, tx),
    releasePromotion: (orderId, tx) => releasePromotion.execute(orderId, tx),
    shippingOptions: () => shippingOptions.execute(),
  };
  return {
    facade,
    setPrice: new SetPrice(deps),
    getPrice: new GetPrice(deps),
    prices,
    quote,
    checkPromotion,
    createPromotion: new CreatePromotion(deps),
    getPromotion: new GetPromotion(deps),
    listPromotions: new ListPromotions(deps),
    redeemPromotion,
    releasePromotion,
    shippingOptions,
  };
};

/** The pricing context: price list, promotions, quotes, shipping options (composition root). */
export const pricingContext = defineContext({
  name: 'pricing',
  entities: PRICING_ENTITIES,
  migrations: [Pricing1763700000200],
  create: (platform: Platform, deps: PricingDependencies): PricingModule => {
    const services = createPricingServices({
      dataSource: platform.dataSource,
      region: platform.region,
      clock: platform.clock,
      skuDirectory: deps.skus,
    });
    return {
      name: 'pricing',
      facade: services.facade,
      routes: async (app, { guards }) => {
        await app.register(pricingRoutes, { useCases: services, guards });
      },
      admin: {
        setPrice: async (sku, amount) => {
          await services.setPrice.execute(sku, amount);
        },
      },
    };
  },
});
