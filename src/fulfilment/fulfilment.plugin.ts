import type { Counter } from 'prom-client';
import type { DataSource } from 'typeorm';
import { Fulfilment1763700001400 } from '../../migrations/1763700001400-fulfilment.js';
import type { InventoryOrderFacade } from '../inventory/contract.js';
import type { OrdersFacade } from '../orders/contract.js';
import type { Clock } from '../platform/clock.js';
import { afterCommit } from '../platform/db/after-commit.js';
import { RetryingUnitOfWork } from '../platform/db/retrying-unit-of-work.js';
import { TypeOrmReader, TypeOrmUnitOfWork } from '../platform/db/typeorm-unit-of-work.js';
import { type ContextModule, defineContext } from '../platform/module/context-module.js';
import type { Platform } from '../platform/platform.js';
import { fulfilmentRoutes } from './adapters/http/fulfilment.routes.js';
import { fulfilmentRegistrations } from './adapters/messaging/fulfilment.consumers.js';
import { FULFILMENT_ENTITIES } from './adapters/persistence/fulfilment.entity-schemas.js';
import { fulfilmentRepos } from './adapters/persistence/typeorm-shipment.repository.js';
import { FakeCarrier } from './adapters/providers/fake.carrier.js';
import { type CarrierResilience, ResilientCarrier } from './adapters/providers/resilient.carrier.js';
import { AdvanceShipment } from './application/advance-shipment.use-case.js';
import { CancelShipments } from './application/cancel-shipments.use-case.js';
import type { Carrier } from './application/carrier.port.js';
import { CreateShipments } from './application/create-shipments.use-case.js';
import { DispatchShipment } from './application/dispatch-shipment.use-case.js';
import type {
  CountedShipmentEvent,
  FulfilmentDeps,
  FulfilmentLogger,
} from './application/fulfilment.deps.js';
import { shipmentEventMapper } from './application/fulfilment-event.mapper.js';
import { GetShipment } from './application/get-shipment.query.js';
import { ListShipments } from './application/list-shipments.query.js';
import { ShipmentStepper } from './application/shipment-steps.service.js';
import { ShipmentSummaries } from './application/shipment-summaries.query.js';
import type { FulfilmentFacade } from './contract.js';

export { FULFILMENT_ENTITIES } from './adapters/persistence/fulfilment.entity-schemas.js';
export { FakeCarrier } from './adapters/providers/fake.carrier.js';
export type { Carrier } from './application/carrier.port.js';

export interface FulfilmentServices {
  facade: FulfilmentFacade;
  create: CreateShipments;
  cancel: CancelShipments;
  advanceShipment: AdvanceShipment;
  dispatchShipment: DispatchShipment;
  listShipments: ListShipments;
  getShipment: GetShipment;
  shipmentSummaries: ShipmentSummaries;
}

const quiet: FulfilmentLogger = { info: () => {}, warn: () => {}, error: () => {} };

/** The use cases, queries and facade of fulfilment over one data source (one app instance). */
export const createFulfilmentServices = (opts: {
  dataSource: DataSource;
  region: string;
  clock: Clock;
  orders: Pick<OrdersFacade, 'get'>;
  inventory: Pick<InventoryOrderFacade, 'allocationOf'>;
  carrier: Carrier;
  logger?: FulfilmentLogger;
  count?: (event: CountedShipmentEvent) => void;
}): FulfilmentServices => {
  const logger = opts.logger ?? quiet;
  const count = opts.count ?? (() => {});
  const deps: FulfilmentDeps = {
    // a step that lost a race for locks (deadlock, serialization failure) runs again whole
    uow: new RetryingUnitOfWork(
      new TypeOrmUnitOfWork(opts.dataSource, fulfilmentRepos, shipmentEventMapper(opts.region)),
      {
        onRetry: (code, attempt) =>
          logger.warn({ code, attempt }, 'fulfilment transaction lost a race; retrying'),
      },
    ),
    read: new TypeOrmReader(opts.dataSource, fulfilmentRepos),
    clock: opts.clock,
    orders: opts.orders,
    inventory: opts.inventory,
    carrier: opts.carrier,
    logger,
    count: (event, tx) => afterCommit(tx, () => count(event)),
  };
  const stepper = new ShipmentStepper(deps);
  const shipmentSummaries = new ShipmentSummaries(deps);
  const facade: FulfilmentFacade = {
    shipmentsOf: (orderIds, tx) => shipmentSummaries.execute(orderIds, tx),
  };
  return {
    facade,
    create: new CreateShipments(deps),
    cancel: new CancelShipments(deps),
    advanceShipment: new AdvanceShipment(deps, stepper),
    dispatchShipment: new DispatchShipment(deps, stepper),
    listShipments: new ListShipments(deps),
    getShipment: new GetShipment(deps),
    shipmentSummaries,
  };
};

const COUNTED: readonly CountedShipmentEvent[] = [
  'created',
  'picked',
  'packed',
  'dispatched',
  'delivered',
  'cancelled',
];

/** `shipments_total{event}`: one series per step, present from the start (0). */
const shipmentsCounter = (metrics: Platform['metrics']): Counter<'event'> =>
  metrics.eventCounter(
    'shipments_total',
    'Shipments created, and shipments moved to picked, packed, dispatched, delivered or cancelled — counted when the transaction commits',
    COUNTED,
  );

export interface FulfilmentModule extends ContextModule<FulfilmentFacade> {
  readonly services: FulfilmentServices;
  /** the carrier as configured, without the resilience (the built-in fake unless one was injected) */
  readonly carrier: Carrier;
}

export interface FulfilmentDependencies {
  orders: Pick<OrdersFacade, 'get'>;
  inventory: Pick<InventoryOrderFacade, 'allocationOf'>;
  /** the carrier (unwrapped; the module adds timeout and retries); default: the built-in FakeCarrier */
  carrier?: Carrier;
  carrierResilience?: Partial<CarrierResilience>;
}

/**
 * The fulfilment context (composition root): shipments from confirmed orders, their steps through the
 * warehouse, the carrier port; consumers of the orders' events.
 */
export const fulfilmentContext = defineContext({
  name: 'fulfilment',
  entities: FULFILMENT_ENTITIES,
  migrations: [Fulfilment1763700001400],
  create: (platform: Platform, deps: FulfilmentDependencies): FulfilmentModule => {
    const counter = shipmentsCounter(platform.metrics);
    const carrier = deps.carrier ?? new FakeCarrier();
    const services = createFulfilmentServices({
      dataSource: platform.dataSource,
      region: platform.region.code,
      clock: platform.clock,
      orders: deps.orders,
      inventory: deps.inventory,
      carrier: new ResilientCarrier(carrier, deps.carrierResilience),
      logger: platform.logger.child({ component: 'fulfilment' }),
      count: (event) => counter.inc({ event }),
    });
    return {
      name: 'fulfilment',
      facade: services.facade,
      services,
      carrier,
      routes: async (app, { guards }) => {
        await app.register(fulfilmentRoutes, {
          listShipments: services.listShipments,
          getShipment: services.getShipment,
          advanceShipment: services.advanceShipment,
          dispatchShipment: services.dispatchShipment,
          guards,
        });
      },
      consumers: fulfilmentRegistrations(services),
    };
  },
});
