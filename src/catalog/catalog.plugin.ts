import { Catalog1763700000300 } from '../../migrations/1763700000300-catalog.js';
import { CatalogSearchChanges1763700001500 } from '../../migrations/1763700001500-catalog-search-changes.js';
import { TypeOrmReader, TypeOrmUnitOfWork } from '../platform/db/typeorm-unit-of-work.js';
import { type ContextModule, defineContext } from '../platform/module/context-module.js';
import type { Platform } from '../platform/platform.js';
import { type CatalogRouteServices, catalogRoutes } from './adapters/http/catalog.routes.js';
import { catalogRegistrations } from './adapters/messaging/catalog.consumers.js';
import { CATALOG_ENTITIES } from './adapters/persistence/catalog.entity-schemas.js';
import { TypeOrmCatalogReadModel } from './adapters/persistence/typeorm-catalog.read-model.js';
import { catalogRepos } from './adapters/persistence/typeorm-catalog.repositories.js';
import { InMemorySearchIndex } from './adapters/search/in-memory/in-memory.search-index.js';
import { PostgresSearchIndex } from './adapters/search/postgres.search-index.js';
import { UnknownStockAvailability } from './adapters/stock/unknown.stock-availability.js';
import { ArchiveProduct } from './application/archive-product.use-case.js';
import { CatalogCache, type CatalogCacheTtls } from './application/catalog.cache.js';
import type { CatalogDeps } from './application/catalog.deps.js';
import type { CategoryWithParent, ProductWithCategory } from './application/catalog-admin.view.js';
import { CatalogEventHandlers } from './application/catalog-event.handlers.js';
import { catalogEventMapper } from './application/catalog-event.mapper.js';
import { ChangeCategory } from './application/change-category.use-case.js';
import { CountProducts } from './application/count-products.query.js';
import { type CategoryInput, CreateCategory } from './application/create-category.use-case.js';
import { CreateProduct, type ProductInput } from './application/create-product.use-case.js';
import { FindVariants } from './application/find-variants.query.js';
import { GetAdminProduct } from './application/get-admin-product.query.js';
import { GetProductDetail } from './application/get-product-detail.query.js';
import { ListCategories } from './application/list-categories.query.js';
import { ListProducts } from './application/list-products.query.js';
import type { SearchIndex } from './application/search-index.port.js';
import { SkuExists } from './application/sku-exists.query.js';
import type { StockAvailability } from './application/stock-availability.port.js';
import { UpdateProduct } from './application/update-product.use-case.js';
import type { CatalogFacade } from './contract.js';
import { catalogRules } from './domain/catalog.rules.js';
import { keepRegionLocales } from './domain/localized-text.value-object.js';

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

export interface CatalogServices extends CatalogRouteServices {
  facade: CatalogFacade;
  countProducts: CountProducts;
  handlers: CatalogEventHandlers;
}

/** The use cases, queries, event handlers and facade of the catalog over its deps (tests build them in memory). */
export const createCatalogServices = (deps: CatalogDeps): CatalogServices => {
  const findVariants = new FindVariants(deps);
  const skuExists = new SkuExists(deps);
  const facade: CatalogFacade = {
    findVariants: (skus, tx) => findVariants.execute(skus, tx),
    skuExists: (sku, tx) => skuExists.execute(sku, tx),
  };
  return {
    facade,
    listProducts: new ListProducts(deps),
    productDetail: new GetProductDetail(deps),
    categories: new ListCategories(deps),
    createProduct: new CreateProduct(deps),
    adminProduct: new GetAdminProduct(deps),
    updateProduct: new UpdateProduct(deps),
    archiveProduct: new ArchiveProduct(deps),
    createCategory: new CreateCategory(deps),
    changeCategory: new ChangeCategory(deps),
    countProducts: new CountProducts(deps),
    handlers: new CatalogEventHandlers(deps),
  };
};

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
    const services = createCatalogServices(deps);

    return {
      name: 'catalog',
      facade: services.facade,
      routes: async (app, { guards }) => {
        await app.register(catalogRoutes, {
          services,
          guards,
          locales: rules.locales,
          http: { cacheControl: options.cacheControl ?? 'public, max-age=0, must-revalidate' },
        });
      },
      consumers: catalogRegistrations(services.handlers),
      init: async () => memory?.start(),
      close: async () => {
        memory?.stop();
        await cache.close();
      },
      admin: {
        createCategory: (input) =>
          services.createCategory.execute({ ...input, name: keepRegionLocales(input.name, rules.locales) }),
        createProduct: (input) =>
          services.createProduct.execute({
            ...input,
            name: keepRegionLocales(input.name, rules.locales),
            description: keepRegionLocales(input.description, rules.locales),
          }),
        productCount: () => services.countProducts.execute(),
      },
    };
  },
});
