import type { OrderSnapshot, OrderStatus } from '../../orders/contract.js';
import type { TransactionHandle } from '../../platform/db/unit-of-work.js';
import { OrderNotShippableError, ShipmentNotFoundError } from '../domain/fulfilment.errors.js';
import type { Shipment } from '../domain/shipment.aggregate.js';
import type { CountedShipmentEvent, FulfilmentDeps } from './fulfilment.deps.js';
import type { FulfilmentRepos } from './shipment.repository.js';
import { type ShipmentView, toShipmentView } from './shipment.view.js';

/** Orders whose shipments may move through the warehouse (confirmed, in progress, partly shipped). */
const SHIPPABLE: ReadonlySet<OrderStatus> = new Set(['CONFIRMED', 'PROCESSING', 'SHIPPED']);

/** The order, when its shipments may move on; 409 (naming `fallback` when the order is unknown) otherwise. */
export const shippable = (order: OrderSnapshot | null, fallback: string): OrderSnapshot => {
  if (!order || !SHIPPABLE.has(order.status)) {
    throw new OrderNotShippableError(order?.number ?? fallback, order?.status ?? 'unknown');
  }
  return order;
};

/** A step's transaction: the repositories on it, and `track` for the shipment's events. */
export interface StepScope {
  repos: FulfilmentRepos;
  tx: TransactionHandle;
  track: <A extends Shipment>(a: A) => A;
}

/**
 * What the staff steps (AdvanceShipment, DispatchShipment) share: each locks the order first and
 * refuses a cancelled one (409), in the same lock order as checkout's cancellation (order, then
 * shipments), so a cancellation and a dispatch never both succeed; then the shipment, saved with its
 * history entry and event, counted once the transaction commits.
 */
export class ShipmentStepper {
  constructor(private readonly deps: FulfilmentDeps) {}

  /**
   * The shipment locked, or 404 — after its order was locked and found shippable, unless `order` is
   * null. The order's id is read from the shipment when the caller does not know it.
   */
  async lock(scope: StepScope, shipmentId: string, order: { orderId?: string } | null): Promise<Shipment> {
    const { repos, tx, track } = scope;
    if (order) {
      let orderId = order.orderId;
      if (!orderId) {
        const peek = await repos.shipments.find(shipmentId);
        if (!peek) throw new ShipmentNotFoundError();
        orderId = peek.orderId;
      }
      shippable(await this.deps.orders.get(orderId, tx), orderId);
    }
    const shipment = await repos.shipments.findForUpdate(shipmentId);
    if (!shipment) throw new ShipmentNotFoundError();
    return track(shipment);
  }

  async save(scope: StepScope, shipment: Shipment, counted: CountedShipmentEvent): Promise<ShipmentView> {
    await scope.repos.shipments.save(shipment);
    this.deps.count(counted, scope.tx);
    return toShipmentView(shipment);
  }
}
