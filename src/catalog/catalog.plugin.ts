import { Catalog1763700000300 } from '../../migrations/1763700000300-catalog.js';
import { CatalogSearchChanges1763700001500 } from '../../migrations/1763700001500-catalog-search-changes.js';
import { TypeOrmReader, TypeOrmUnitOfWork } from '../platform/db/typeorm-unit-of-work.js';
import { type ContextModule, defineContext } from '../platform/module/context-module.js';
import type { Platform } from '../platform/platform.js';
import { catalogRoutes } from './adapters/http/catalog.routes.js';
import { catalogRegistrations } from './adapters/messaging/catalog.consumers.js';
import { CATALOG_ENTITIES } from './adapters/persistence/catalog.entity-schemas.js';
import { catalogRepos } from './adapters/persistence/typeorm-catalog.repositories.js';
import { TypeOrmCatalogReadModel } from './adapters/persistence/typeorm-catalog-read.model.js';
import { InMemorySearchIndex } from './adapters/search/in-memory-search-index.js';
import { PostgresSearchIndex } from './adapters/search/postgres-search-index.js';
import { UnknownStockAvailability } from './adapters/stock/unknown-stock-availability.js';
import type { CatalogDeps } from './application/catalog.deps.js';
import { CatalogFacadeService } from './application/catalog.facade.js';
import {
  CatalogAdmin,
  type CategoryInput,
  type CategoryWithParent,
  type ProductInput,
  type ProductWithCategory,
} from './application/catalog-admin.use-cases.js';
import { CatalogCache, type CatalogCacheTtls } from './application/catalog-cache.js';
import { CatalogEventHandlers } from './application/catalog-event.handlers.js';
import { catalogEventMapper } from './application/catalog-event.mapper.js';
import { CatalogQueries } from './application/catalog-queries.js';
import { keepRegionLocales } from './application/region-locales.js';
import type { SearchIndex } from './application/search-index.port.js';
import type { StockAvailability } from './application/stock-availability.port.js';
import type { CatalogFacade } from './contract.js';
import { catalogRules } from './domain/catalog-rules.js';

export { CATALOG_ENTITIES } from './adapters/persistence/catalog.entity-schemas.js';
export type { StockAvailability } from './application/stock-availability.port.js';

export interface CatalogModule extends ContextModule<CatalogFacade> {
  /**
   * For the demo-data seeder: the same rules, events and cache invalidation as the admin routes, except
   * that translations in locales this region does not serve are dropped instead of rejected.
   */
  admin: {
    createCategory(input: CategoryInput): Promise<CategoryWithParent>;
    createProduct(input: ProductInput): Promise<ProductWithCategory>;
    productCount(): Promise<number>;
  };
}

export interface CatalogDependencies {
  /** availability for browsing; default: unknown for every SKU (the inventory context replaces it) */
  stock?: StockAvailability;
  /** the search engine; default: PostgreSQL full-text + trigram */
  search?: SearchIndex;
  ttls?: Partial<CatalogCacheTtls>;
  /** Cache-Control of storefront catalog answers (see docs/catalog.md) */
  cacheControl?: string;
}

/**
 * The catalog context (composition root): wires its ports to adapters (TypeORM, Postgres search, the
 * Cache port, the stock port) into the routes, the event consumers, the facade and the seeder surface.
 */
export const catalogContext = defineContext({
  name: 'catalog',
  entities: CATALOG_ENTITIES,
  migrations: [Catalog1763700000300, CatalogSearchChanges1763700001500],
  create: (platform: Platform, options: CatalogDependencies): CatalogModule => {
    const { dataSource, region, clock, config } = platform;
    const rules = catalogRules(region.locales, Object.keys(region.tax.rates));
    const cache = new CatalogCache({
      cache: platform.cache,
      metrics: platform.metrics,
      logger: platform.logger,
      locales: rules.locales,
      ttls: options.ttls,
    });
    const readModel = new TypeOrmCatalogReadModel(dataSource);
    const documents = new PostgresSearchIndex(dataSource, rules.locales, rules.defaultLocale);
    const memory =
      !options.search && config.SEARCH_INDEX === 'memory'
        ? new InMemorySearchIndex({
            dataSource,
            documents,
            defaultLocale: rules.defaultLocale,
            logger: platform.logger,
            pollMs: config.SEARCH_REFRESH_MS,
          })
        : null;
    const search = options.search ?? memory ?? documents;
    const deps: CatalogDeps = {
      uow: new TypeOrmUnitOfWork(dataSource, catalogRepos, catalogEventMapper(config.REGION, clock)),
      read: new TypeOrmReader(dataSource, catalogRepos),
      readModel,
      search,
      stock: options.stock ?? new UnknownStockAvailability(),
      cache,
      clock,
      rules,
      currency: region.currency,
    };
    const admin = new CatalogAdmin(deps);
    const queries = new CatalogQueries({
      readModel,
      search,
      stock: deps.stock,
      cache,
      currency: region.currency,
      defaultLocale: rules.defaultLocale,
    });
    const handlers = new CatalogEventHandlers(deps);

    return {
      name: 'catalog',
      facade: new CatalogFacadeService(readModel, rules.defaultLocale),
      routes: async (app, { guards }) => {
        await app.register(catalogRoutes, {
          admin,
          queries,
          guards,
          locales: rules.locales,
          http: { cacheControl: options.cacheControl ?? 'public, max-age=0, must-revalidate' },
        });
      },
      consumers: catalogRegistrations(handlers),
      init: async () => memory?.start(),
      close: async () => {
        memory?.stop();
        await cache.close();
      },
      admin: {
        createCategory: (input) =>
          admin.createCategory({ ...input, name: keepRegionLocales(input.name, rules.locales) }),
        createProduct: (input) =>
          admin.createProduct({
            ...input,
            name: keepRegionLocales(input.name, rules.locales),
            description: keepRegionLocales(input.description, rules.locales),
          }),
        productCount: () => admin.productCount(),
      },
    };
  },
});
