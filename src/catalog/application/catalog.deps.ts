import type { Clock } from '../../platform/clock.js';
import type { UnitOfWork } from '../../platform/db/unit-of-work.js';
import type { CatalogRules } from '../domain/catalog.rules.js';
import type { CatalogCache } from './catalog.cache.js';
import type { CatalogReadModel } from './catalog.read-model.js';
import type { CatalogRepos } from './catalog.repositories.js';
import type { SearchIndex } from './search-index.port.js';
import type { StockAvailability } from './stock-availability.port.js';

/** Everything the catalog use cases need, wired in catalog.plugin.ts. */
export interface CatalogDeps {
  uow: UnitOfWork<CatalogRepos>;
  /** read-only access outside a transaction */
  read: UnitOfWork<CatalogRepos>;
  readModel: CatalogReadModel;
  search: SearchIndex;
  stock: StockAvailability;
  cache: CatalogCache;
  clock: Clock;
  rules: CatalogRules;
  /** the region currency: the price projection keeps only prices in it */
  currency: string;
}
