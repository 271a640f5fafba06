import type { InventoryOrderFacade } from '../../inventory/contract.js';
import type { OrdersFacade } from '../../orders/contract.js';
import type { Clock } from '../../platform/clock.js';
import type { TransactionHandle, UnitOfWork } from '../../platform/db/unit-of-work.js';
import type { Carrier } from './carrier.port.js';
import type { FulfilmentRepos } from './shipment.repository.js';

export interface FulfilmentLogger {
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
  error(obj: object, msg: string): void;
}

/** The shipment steps `shipments_total{event}` counts. */
export type CountedShipmentEvent = 'created' | 'picked' | 'packed' | 'dispatched' | 'delivered' | 'cancelled';

/** Everything the fulfilment use cases need, wired in fulfilment.plugin.ts. */
export interface FulfilmentDeps {
  /** writes: repositories on one transaction, the shipments' domain events mapped to the outbox */
  uow: UnitOfWork<FulfilmentRepos>;
  /** reads: on the caller's transaction when it holds one, else on the pool */
  read: UnitOfWork<FulfilmentRepos>;
  clock: Clock;
  /** the order (locked inside a transaction): its status and number */
  orders: Pick<OrdersFacade, 'get'>;
  /** the order's allocation, warehouse by warehouse */
  inventory: Pick<InventoryOrderFacade, 'allocationOf'>;
  carrier: Carrier;
  logger: FulfilmentLogger;
  /** counts a step once the transaction that made it committed */
  count: (event: CountedShipmentEvent, tx: TransactionHandle) => void;
}
