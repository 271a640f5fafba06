import type { DataSource } from 'typeorm';
import { Inventory1763700000500 } from '../../migrations/1763700000500-inventory.js';
import { InventoryShipments1763700001200 } from '../../migrations/1763700001200-inventory-shipments.js';
import { InventoryReturns1763700001920 } from '../../migrations/1763700001920-inventory-returns.js';
import type { Cache } from '../platform/cache/cache.js';
import { CacheAside, type CacheOpsCounter } from '../platform/cache/cache-aside.js';
import type { Clock } from '../platform/clock.js';
import { BackgroundWork } from '../platform/db/background-work.js';
import { RetryingUnitOfWork } from '../platform/db/retrying-unit-of-work.js';
import { TypeOrmReader, TypeOrmUnitOfWork } from '../platform/db/typeorm-unit-of-work.js';
import { type ContextModule, defineContext } from '../platform/module/context-module.js';
import type { Platform } from '../platform/platform.js';
import type { RegionPreset } from '../platform/region/region-presets.js';
import { periodicTask } from '../platform/scheduling/periodic-task.js';
import { DefaultStockAllocation } from './adapters/allocation/default.stock-allocation.js';
import { acceptAllSkuDirectory } from './adapters/catalog/accept-all.sku-directory.js';
import { inventoryRoutes } from './adapters/http/inventory.routes.js';
import { INVENTORY_ENTITIES } from './adapters/persistence/inventory.entity-schemas.js';
import { inventoryRepos } from './adapters/persistence/typeorm-inventory.store.js';
import { AdjustStock } from './application/adjust-stock.use-case.js';
import { AdjustStockByCode } from './application/adjust-stock-by-code.use-case.js';
import { AvailabilityCache } from './application/availability.cache.js';
import { ConfirmReservation } from './application/confirm-reservation.use-case.js';
import { GetAllocation } from './application/get-allocation.query.js';
import { GetAvailability } from './application/get-availability.query.js';
import { GetStock } from './application/get-stock.query.js';
import type { InventoryDeps, InventoryLogger } from './application/inventory.deps.js';
import { InventoryEvents } from './application/inventory-event.mapper.js';
import { ListMovements } from './application/list-movements.query.js';
import { ListWarehouses } from './application/list-warehouses.query.js';
import { ReceiveReturn } from './application/receive-return.use-case.js';
import { ReleaseExpiredReservations } from './application/release-expired-reservations.use-case.js';
import { ReleaseReservation } from './application/release-reservation.use-case.js';
import type { ReleasedReservation } from './application/reservation-release.service.js';
import { ReserveStock } from './application/reserve-stock.use-case.js';
import { ShipReservation } from './application/ship-reservation.use-case.js';
import type { SkuDirectory } from './application/sku-directory.port.js';
import type { StockAllocation } from './application/stock-allocation.port.js';
import type { InventoryOrderFacade } from './contract.js';

export { INVENTORY_ENTITIES } from './adapters/persistence/inventory.entity-schemas.js';
export type { StockAllocation } from './application/stock-allocation.port.js';

/** Browsing availability may be this stale (seconds); see docs/inventory.md. */
export const AVAILABILITY_CACHE_TTL_SECONDS = 5;
export const DEFAULT_SWEEP_INTERVAL_MS = 5_000;
const SWEEP_BATCH = 100;

export interface InventoryServices {
  facade: InventoryOrderFacade;
  warehouses: ListWarehouses;
  adjust: AdjustStock;
  adjustByCode: AdjustStockByCode;
  stock: GetStock;
  movements: ListMovements;
  releaseExpired: ReleaseExpiredReservations;
  /** One pass of the expiry sweeper: releases every expired reservation, batch by batch. */
  sweepOnce(): Promise<ReleasedReservation[]>;
  /** Waits for failure events still being written after a caller's transaction (shutdown, tests). */
  drain(): Promise<void>;
  /** deadlock / serialization failures retried so far, by SQLSTATE (should stay empty) */
  readonly retries: Map<string, number>;
}

/** The use cases, queries and facade of inventory over one data source, for one region (one app instance). */
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
  const deps: InventoryDeps = {
    uow: new RetryingUnitOfWork(new TypeOrmUnitOfWork(dataSource, inventoryRepos), {
      onRetry: (code, attempt) => {
        retries.set(code, (retries.get(code) ?? 0) + 1);
        opts.onRetry?.(code);
        logger?.warn({ code, attempt }, 'inventory transaction lost a race; retrying');
      },
    }),
    read: new TypeOrmReader(dataSource, inventoryRepos),
    clock,
    region: { code: region.code, warehouses: region.warehouses },
    events: new InventoryEvents(region.code, clock),
    allocation: opts.allocation ?? new DefaultStockAllocation(),
    skuDirectory: () => skuDirectory,
    reservationTtlSeconds: opts.reservationTtlSeconds ?? 900,
    availabilityCache: new AvailabilityCache(
      region.code,
      opts.cache
        ? new CacheAside<number>({
            cache: opts.cache,
            name: 'inventory_availability',
            ...(opts.cacheOps ? { metrics: { cacheOps: opts.cacheOps } } : {}),
            ...(logger ? { logger } : {}),
          })
        : undefined,
      opts.availabilityTtlSeconds ?? AVAILABILITY_CACHE_TTL_SECONDS,
    ),
    logger,
  };
  // failure events written after the caller's transaction (ReserveStock)
  const background = new BackgroundWork();
  const warehouses = new ListWarehouses(deps);
  const adjust = new AdjustStock(deps, warehouses);
  const availability = new GetAvailability(deps, warehouses);
  const reserve = new ReserveStock(deps, warehouses, background);
  const release = new ReleaseReservation(deps);
  const confirm = new ConfirmReservation(deps);
  const allocation = new GetAllocation(deps);
  const ship = new ShipReservation(deps);
  const receiveReturn = new ReceiveReturn(deps, warehouses);
  const releaseExpired = new ReleaseExpiredReservations(deps);
  const facade: InventoryOrderFacade = {
    availability: (skus, o) => availability.execute(skus, o),
    reserve: (orderId, lines, tx) => reserve.execute(orderId, lines, tx),
    release: (orderId, reason, tx) => release.execute(orderId, reason, tx),
    confirm: (orderId, tx) => confirm.execute(orderId, tx),
    allocationOf: (orderId, tx) => allocation.execute(orderId, tx),
    ship: (orderId, warehouseId, tx) => ship.execute(orderId, warehouseId, tx),
    receiveReturn: (input, tx) => receiveReturn.execute(input, tx),
  };
  const sweepOnce = async () => {
    const all: ReleasedReservation[] = [];
    for (;;) {
      const batch = await releaseExpired.execute(SWEEP_BATCH);
      all.push(...batch);
      if (batch.length < SWEEP_BATCH) return all;
    }
  };
  return {
    facade,
    warehouses,
    adjust,
    adjustByCode: new AdjustStockByCode(warehouses, adjust),
    stock: new GetStock(deps, warehouses),
    movements: new ListMovements(deps),
    releaseExpired,
    sweepOnce,
    drain: () => background.drain(),
    retries,
  };
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
  migrations: [Inventory1763700000500, InventoryShipments1763700001200, InventoryReturns1763700001920],
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
        await app.register(inventoryRoutes, {
          warehouses: services.warehouses,
          adjust: services.adjust,
          stock: services.stock,
          movements: services.movements,
          guards,
        });
      },
      // no consumers: stock leaves with its shipment through checkout's `checkout.shipments`, which calls
      // `facade.ship` in its inbox transaction (docs/inventory.md; ADR 0020 History)
      tasks: [sweeper],
      // the region's warehouses exist and are remembered before any transaction asks for them
      init: async () => {
        await services.warehouses.execute();
      },
      // failure records written after a caller's transaction finish before the pools close
      close: () => services.drain(),
      admin: {
        adjust: async (sku, warehouseCode, delta, reason) => {
          await services.adjustByCode.execute(sku, warehouseCode, delta, reason);
        },
      },
    };
  },
});
