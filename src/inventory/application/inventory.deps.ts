import type { Clock } from '../../platform/clock.js';
import type { UnitOfWork } from '../../platform/db/unit-of-work.js';
import type { AvailabilityCache } from './availability.cache.js';
import type { InventoryRepos } from './inventory.repositories.js';
import type { InventoryEvents } from './inventory-event.mapper.js';
import type { SkuDirectory } from './sku-directory.port.js';
import type { StockAllocation } from './stock-allocation.port.js';

export interface InventoryLogger {
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
  error(obj: object, msg: string): void;
}

/** Everything the inventory use cases need, wired in inventory.plugin.ts. */
export interface InventoryDeps {
  /** transactions; `run` retries deadlock / serialization failures of inventory's own transactions */
  uow: UnitOfWork<InventoryRepos>;
  /** read-only access outside a transaction */
  read: UnitOfWork<InventoryRepos>;
  clock: Clock;
  region: { code: string; warehouses: readonly { code: string; name: string }[] };
  /** the integration events inventory writes (application/inventory-event.mapper.ts) */
  events: InventoryEvents;
  allocation: StockAllocation;
  /** the SKUs the catalog knows; asked before an adjustment opens its transaction */
  skuDirectory: () => SkuDirectory;
  /** how long a reservation holds stock before the sweeper releases it */
  reservationTtlSeconds: number;
  /** browsing availability per SKU (without a cache: always Postgres) */
  availabilityCache: AvailabilityCache;
  logger?: InventoryLogger;
}
