import type { FastifyPluginAsync } from 'fastify';
import type { DataSource } from 'typeorm';
import type { Clock } from '../platform/clock.js';
import { TypeOrmReader, TypeOrmUnitOfWork } from '../platform/db/typeorm-unit-of-work.js';
import type { Guards } from '../platform/http/auth.js';
import type { EventHandlerRegistration } from '../platform/messaging/consumer.js';
import type { Platform } from '../platform/platform.js';
import type { RegionPreset } from '../platform/region/region-presets.js';
import { acceptAllSkuDirectory } from './adapters/catalog/accept-all.sku-directory.js';
import { pricingRoutes } from './adapters/http/pricing.routes.js';
import { pricingRepos } from './adapters/persistence/typeorm-pricing.repositories.js';
import { PriceListUseCases } from './application/price-list.use-cases.js';
import type { PricingDeps } from './application/pricing.deps.js';
import { PricingFacadeService } from './application/pricing.facade.js';
import type { SkuDirectory } from './application/pricing.ports.js';
import { PromotionUseCases } from './application/promotion.use-cases.js';
import { type PricingFacade, pricingEventMapper } from './contract.js';

export { PRICING_ENTITIES } from './adapters/persistence/pricing.entity-schemas.js';
export type { SkuDirectory } from './application/pricing.ports.js';

export interface PricingModule {
  plugin: FastifyPluginAsync<{ guards: Guards }>;
  registrations: EventHandlerRegistration[];
  /** what other contexts call (through the types of contract.ts) */
  facade: PricingFacade;
  /** for the demo-data seeder: same rules and events as PUT /api/v1/admin/prices/:sku */
  admin: { setPrice(sku: string, amount: number): Promise<void> };
  /** Plugs in the catalog's knowledge of SKUs (default: every well-formed SKU exists). */
  useSkuDirectory(directory: SkuDirectory): void;
}

export interface PricingServices {
  priceList: PriceListUseCases;
  promotions: PromotionUseCases;
  facade: PricingFacadeService;
  useSkuDirectory(directory: SkuDirectory): void;
}

/** The use cases and facade of pricing over one data source, for one region. */
export const createPricingServices = (opts: {
  dataSource: DataSource;
  region: RegionPreset;
  clock: Clock;
  skuDirectory?: SkuDirectory;
}): PricingServices => {
  const { dataSource, region, clock } = opts;
  const repos = pricingRepos(region.code, region.currency);
  let skuDirectory = opts.skuDirectory ?? acceptAllSkuDirectory;
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
  return {
    priceList,
    promotions,
    facade: new PricingFacadeService(deps, priceList, promotions),
    useSkuDirectory: (directory) => {
      skuDirectory = directory;
    },
  };
};

/** Composition root of pricing: wires its ports to adapters and registers its routes. */
export const createPricingModule = (platform: Platform): PricingModule => {
  const services = createPricingServices({
    dataSource: platform.dataSource,
    region: platform.region,
    clock: platform.clock,
  });
  const { priceList, promotions, facade } = services;

  const plugin: FastifyPluginAsync<{ guards: Guards }> = async (app, { guards }) => {
    await app.register(pricingRoutes, { priceList, promotions, guards });
  };

  return {
    plugin,
    registrations: [],
    facade,
    admin: {
      setPrice: async (sku, amount) => {
        await priceList.setPrice(sku, amount);
      },
    },
    useSkuDirectory: services.useSkuDirectory,
  };
};
