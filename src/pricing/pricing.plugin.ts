import type { DataSource } from 'typeorm';
import { Pricing1763700000200 } from '../../migrations/1763700000200-pricing.js';
import type { Clock } from '../platform/clock.js';
import { TypeOrmReader, TypeOrmUnitOfWork } from '../platform/db/typeorm-unit-of-work.js';
import { type ContextModule, defineContext } from '../platform/module/context-module.js';
import type { Platform } from '../platform/platform.js';
import type { RegionPreset } from '../platform/region/region-presets.js';
import { acceptAllSkuDirectory } from './adapters/catalog/accept-all.sku-directory.js';
import { pricingRoutes } from './adapters/http/pricing.routes.js';
import { PRICING_ENTITIES } from './adapters/persistence/pricing.entity-schemas.js';
import { pricingRepos } from './adapters/persistence/typeorm-pricing.repositories.js';
import { PriceListUseCases } from './application/price-list.use-cases.js';
import type { PricingDeps } from './application/pricing.deps.js';
import { PricingFacadeService } from './application/pricing.facade.js';
import type { SkuDirectory } from './application/pricing.ports.js';
import { pricingEventMapper } from './application/pricing-event.mapper.js';
import { PromotionUseCases } from './application/promotion.use-cases.js';
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

export interface PricingServices {
  priceList: PriceListUseCases;
  promotions: PromotionUseCases;
  facade: PricingFacadeService;
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
  const priceList = new PriceListUseCases(deps);
  const promotions = new PromotionUseCases(deps);
  return { priceList, promotions, facade: new PricingFacadeService(deps, priceList, promotions) };
};

/** The pricing context: price list, promotions, quotes, shipping options (composition root). */
export const pricingContext = defineContext({
  name: 'pricing',
  entities: PRICING_ENTITIES,
  migrations: [Pricing1763700000200],
  create: (platform: Platform, deps: PricingDependencies): PricingModule => {
    const { priceList, promotions, facade } = createPricingServices({
      dataSource: platform.dataSource,
      region: platform.region,
      clock: platform.clock,
      skuDirectory: deps.skus,
    });
    return {
      name: 'pricing',
      facade,
      routes: async (app, { guards }) => {
        await app.register(pricingRoutes, { priceList, promotions, guards });
      },
      admin: {
        setPrice: async (sku, amount) => {
          await priceList.setPrice(sku, amount);
        },
      },
    };
  },
});
