import type {
  Carrier,
  CarrierBooking,
  CarrierLabel,
} from '../../../src/fulfilment/application/carrier.port.js';
import { CarrierUnavailableError } from '../../../src/fulfilment/application/carrier.port.js';
import type {
  CountedShipmentEvent,
  FulfilmentDeps,
} from '../../../src/fulfilment/application/fulfilment.deps.js';
import { shipmentEventMapper } from '../../../src/fulfilment/application/fulfilment-event.mapper.js';
import type { FulfilmentRepos } from '../../../src/fulfilment/application/shipment.repository.js';
import { ShipmentStepper } from '../../../src/fulfilment/application/shipment-steps.service.js';
import type { AllocatedLine } from '../../../src/inventory/contract.js';
import { InMemoryUnitOfWork } from '../in-memory-unit-of-work.js';
import { type InMemoryShipmentRepository, inMemoryFulfilmentRepos } from './fulfilment.repositories.js';
import { callerTx, type InMemoryOrders, inMemoryOrders, placed } from './orders.deps.js';

/** A carrier that books every parcel (`TRK-<n>`, one label per idempotency key), or is down while `down` is set. */
export class ScriptedCarrier implements Carrier {
  readonly name = 'scripted';
  readonly bookings: CarrierBooking[] = [];
  down: string | null = null;
  private readonly labels = new Map<string, CarrierLabel>();

  async book(booking: CarrierBooking): Promise<CarrierLabel> {
    this.bookings.push(booking);
    if (this.down) throw new CarrierUnavailableError(this.down);
    const label = this.labels.get(booking.idempotencyKey) ?? {
      carrier: this.name,
      trackingNumber: `TRK-${this.labels.size + 1}`,
    };
    this.labels.set(booking.idempotencyKey, label);
    return label;
  }
}

export interface InMemoryFulfilment {
  deps: FulfilmentDeps;
  repos: FulfilmentRepos & { shipments: InMemoryShipmentRepository };
  /** the writes' unit of work: its `events` are the outbox */
  uow: InMemoryUnitOfWork<FulfilmentRepos>;
  /** orders (the real use cases over in-memory repositories, sharing the clock) */
  orders: InMemoryOrders;
  /** each order's allocation, warehouse by warehouse, as inventory would answer it */
  allocations: Map<string, AllocatedLine[]>;
  carrier: ScriptedCarrier;
  /** what the metrics counted (the count is registered per transaction) */
  counted: CountedShipmentEvent[];
  /** what was logged, `level: message` */
  logged: string[];
  stepper: ShipmentStepper;
}

/** The fulfilment use cases' deps in memory, with orders' real use cases in memory behind `orders.get`. */
export const inMemoryFulfilment = (): InMemoryFulfilment => {
  const repos = inMemoryFulfilmentRepos();
  const uow = new InMemoryUnitOfWork<FulfilmentRepos>(repos, shipmentEventMapper('eu'));
  const orders = inMemoryOrders();
  const allocations = new Map<string, AllocatedLine[]>();
  const carrier = new ScriptedCarrier();
  const counted: CountedShipmentEvent[] = [];
  const logged: string[] = [];
  const deps: FulfilmentDeps = {
    uow,
    read: new InMemoryUnitOfWork<FulfilmentRepos>(repos),
    clock: orders.clock,
    orders: { get: (orderId, tx) => orders.facade.get(orderId, tx) },
    inventory: { allocationOf: async (orderId) => allocations.get(orderId) ?? [] },
    carrier,
    logger: {
      info: (_o, msg) => logged.push(`info: ${msg}`),
      warn: (_o, msg) => logged.push(`warn: ${msg}`),
      error: (_o, msg) => logged.push(`error: ${msg}`),
    },
    count: (event) => counted.push(event),
  };
  return {
    deps,
    repos,
    uow,
    orders,
    allocations,
    carrier,
    counted,
    logged,
    stepper: new ShipmentStepper(deps),
  };
};

export const WAREHOUSE_A = '0a0a0a0a-0000-4000-8000-00000000000a';
export const WAREHOUSE_B = '0b0b0b0b-0000-4000-8000-00000000000b';

/** A CONFIRMED order allocated from two warehouses (A: SKU-1 ×2; B: SKU-2 ×1); returns its id. */
export const confirmedOrder = async (f: InMemoryFulfilment): Promise<string> => {
  const id = await placed(f.orders, {}, ['PAYMENT_AUTHORIZED', 'CONFIRMED']);
  f.allocations.set(id, [
    { sku: 'SKU-2', warehouseId: WAREHOUSE_B, quantity: 1 },
    { sku: 'SKU-1', warehouseId: WAREHOUSE_A, quantity: 2 },
  ]);
  return id;
};

export { callerTx };
