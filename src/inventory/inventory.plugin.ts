import type { DataSource } from 'typeorm';
import { Inventory1763700000500 } from '../../migrations/1763700000500-inventory.js';
import { InventoryShipments1763700001200 } from '../../migrations/1763700001200-inventory-shipments.js';
import { FulfilmentEventTypes, shipmentEventV1 } from '../fulfilment/contract.js';
import type { Cache } from '../platform/cache/cache.js';
import { CacheAside, type CacheOpsCounter } from '../platform/cache/cache-aside.js';
import type { Clock } from '../platform/clock.js';
import { RetryingUnitOfWork } from '../platform/db/retrying-unit-of-work.js';
import { TypeOrmReader, TypeOrmUnitOfWork } from '../platform/db/typeorm-unit-of-work.js';
import { type ContextModule, defineContext } from '../platform/module/context-module.js';
import type { Platform } from '../platform/platform.js';
import type { RegionPreset } from '../platform/region/region-presets.js';
import { periodicTask } from '../platform/scheduling/periodic-task.js';
import { DefaultStockAllocation } from './adapters/allocation/default-stock-allocation.policy.js';
import { acceptAllSkuDirectory } from './adapters/catalog/accept-all.sku-directory.js';
import { inventoryRoutes } from './adapters/http/inventory.routes.js';
import { INVENTORY_ENTITIES } from './adapters/persistence/inventory.entity-schemas.js';
import { inventoryRepos } from './adapters/persistence/typeorm-inventory.store.js';
import type { InventoryLogger } from './application/inventory.deps.js';
import { InventoryUseCases, type ReleasedReservation } from './application/inventory.use-cases.js';
import type { SkuDirectory } from './application/sku-directory.port.js';
import type { StockAllocation } from './application/stock-allocation.policy.js';
import type { InventoryOrderFacade } from './contract.js';

export { INVENTORY_ENTITIES } from './adapters/persistence/inventory.entity-schemas.js';
export type { StockAllocation } from './application/stock-allocation.policy.js';

/** Browsing availability may be this stale (seconds); see docs/inventory.md. */
export const AVAILABILITY_CACHE_TTL_SECONDS = 5;
export const DEFAULT_SWEEP_INTERVAL_MS = 5_000;
const SWEEP_BATCH = 100;

export interface InventoryServices {
  inventory: InventoryUseCases;
  facade: InventoryOrderFacade;
  /** One pass of the expiry sweeper: releases every expired reservation, batch by batch. */
  sweepOnce(): Promise<ReleasedReservation[]>;
  /** deadlock / serialization failures retried so far, by SQLSTATE (should stay empty) */
  readonly retries: Map<string, number>;
}

/** The use cases and facade of inventory over one data source, for one region (one app instance). */
export const createInventoryServices = (opts: {
  dataSource: DataSource;
  region: RegionPreset;
  clock: Clock;
  reservationTtlSeconds?: number;
  allocation?: StockAllocation;
  skuDirectory?: SkuDirectory;
  cache?: Cache;
  availabilityTtlSeconds?: number;
  cacheOps?: CacheOpsCounter;
  logger?: InventoryLogger;
  onRetry?: (code: string) => void;
}): InventoryServices => {
  const { dataSource, region, clock, logger } = opts;
  const retries = new Map<string, number>();
  const skuDirectory = opts.skuDirectory ?? acceptAllSkuDirectory;
  const uow = new RetryingUnitOfWork(new TypeOrmUnitOfWork(dataSource, inventoryRepos), {
    onRetry: (code, attempt) => {
      retries.set(code, (retries.get(code) ?? 0) + 1);
      opts.onRetry?.(code);
      logger?.warn({ code, attempt }, 'inventory transaction lost a race; retrying');
    },
  });
  const inventory = new InventoryUseCases({
    uow,
    read: new TypeOrmReader(dataSource, inventoryRepos),
    clock,
    region: { code: region.code, warehouses: region.warehouses },
    allocation: opts.allocation ?? new DefaultStockAllocation(),
    skuDirectory: () => skuDirectory,
    reservationTtlSeconds: opts.reservationTtlSeconds ?? 900,
    availabilityTtlSeconds: opts.availabilityTtlSeconds ?? AVAILABILITY_CACHE_TTL_SECONDS,
    availabilityCache: opts.cache
      ? new CacheAside<number>({
          cache: opts.cache,
          name: 'inventory_availability',
          ...(opts.cacheOps ? { metrics: { cacheOps: opts.cacheOps } } : {}),
          ...(logger ? { logger } : {}),
        })
      : undefined,
    logger,
  });
  const facade: InventoryOrderFacade = {
    availability: (skus, o) => inventory.availability(skus, o),
    reserve: (orderId, lines, tx) => inventory.reserve(orderId, lines, tx),
    release: (orderId, reason, tx) => inventory.release(orderId, reason, tx),
    confirm: (orderId, tx) => inventory.confirm(orderId, tx),
    allocationOf: (orderId, tx) => inventory.allocationOf(orderId, tx),
    ship: (orderId, warehouseId, tx) => inventory.ship(orderId, warehouseId, tx),
  };
  const sweepOnce = async () => {
    const all: ReleasedReservation[] = [];
    for (;;) {
      const batch = await inventory.sweepExpired(SWEEP_BATCH);
      all.push(...batch);
      if (batch.length < SWEEP_BATCH) return all;
    }
  };
  return { inventory, facade, sweepOnce, retries };
};

export interface InventoryModule extends ContextModule<InventoryOrderFacade> {
  /** for the demo-data seeder: same rules, ledger and events as an adjustment, as `system` */
  admin: { adjust(sku: string, warehouseCode: string, delta: number, reason: string): Promise<void> };
}

export interface InventoryDependencies {
  /** the catalog's knowledge of SKUs: stock is kept only for SKUs it knows */
  skus: SkuDirectory;
  sweepIntervalMs?: number;
  allocation?: StockAllocation;
}

/** The inventory context (composition root): stock, ledger, reservations, the expiry sweeper. */
export const inventoryContext = defineContext({
  name: 'inventory',
  entities: INVENTORY_ENTITIES,
  migrations: [Inventory1763700000500, InventoryShipments1763700001200],
  create: (platform: Platform, options: InventoryDependencies): InventoryModule => {
    const { logger, metrics } = platform;
    const expired = metrics.counter({
      name: 'inventory_reservations_expired_total',
      help: 'Reservations the expiry sweeper released',
    });
    const retried = metrics.counter({
      name: 'inventory_transaction_retries_total',
      help: 'Inventory transactions run again after a deadlock or serialization failure',
      labelNames: ['code'],
    });
    const services = createInventoryServices({
      dataSource: platform.dataSource,
      region: platform.region,
      clock: platform.clock,
      reservationTtlSeconds: platform.config.RESERVATION_TTL_SECONDS,
      ...(options.allocation ? { allocation: options.allocation } : {}),
      skuDirectory: options.skus,
      cache: platform.cache,
      cacheOps: metrics.cacheOps,
      logger,
      onRetry: (code) => retried.inc({ code }),
    });
    const { inventory } = services;

    const sweeper = periodicTask(
      'inventory reservation sweep',
      options.sweepIntervalMs ?? DEFAULT_SWEEP_INTERVAL_MS,
      async () => {
        const released = await services.sweepOnce();
        if (released.length > 0) {
          expired.inc(released.length);
          logger.info(
            { count: released.length, orderIds: released.map((r) => r.orderId) },
            'released expired inventory reservations',
          );
        }
      },
      logger,
    );

    return {
      name: 'inventory',
      facade: services.facade,
      routes: async (app, { guards }) => {
        await app.register(inventoryRoutes, { inventory, guards });
      },
      consumers: [
        {
          // stock leaves the warehouse with its shipment (SPEC.md fulfilment; docs/fulfilment.md)
          group: 'inventory.shipments',
          contexts: ['fulfilment'],
          types: [FulfilmentEventTypes.ShipmentDispatched],
          handle: async (event, tx) => {
            const { orderId, warehouseId } = shipmentEventV1.parse(event.data);
            await inventory.ship(orderId, warehouseId, tx);
          },
        },
      ],
      tasks: [sweeper],
      // the region's warehouses exist and are remembered before any transaction asks for them
      init: async () => {
        await inventory.warehouses();
      },
      // failure records written after a caller's transaction finish before the pools close
      close: () => inventory.drain(),
      admin: {
        adjust: async (sku, warehouseCode, delta, reason) => {
          await inventory.adjustByCode(sku, warehouseCode, delta, reason);
        },
      },
    };
  },
});
