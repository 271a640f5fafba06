import type { OrderSnapshot, OrderStatus } from '../../orders/contract.js';
import type { TransactionHandle } from '../../platform/db/unit-of-work.js';
import { IllegalStateTransitionError, UnavailableError } from '../../platform/errors.js';
import {
  OrderNotShippableError,
  ShipmentNotFoundError,
  ShippingAddressErasedError,
} from '../domain/fulfilment.errors.js';
import type { Shipment, ShipmentActor } from '../domain/shipment.aggregate.js';
import { CarrierUnavailableError } from './carrier.port.js';
import type { CountedShipmentEvent, FulfilmentDeps } from './fulfilment.deps.js';
import type { FulfilmentRepos } from './shipment.repository.js';
import { type ShipmentView, toShipmentView } from './shipment.view.js';

/** Orders whose shipments may move through the warehouse (confirmed, in progress, partly shipped). */
const SHIPPABLE: ReadonlySet<OrderStatus> = new Set(['CONFIRMED', 'PROCESSING', 'SHIPPED']);

/** The order, when its shipments may move on; 409 (naming `fallback` when the order is unknown) otherwise. */
const shippable = (order: OrderSnapshot | null, fallback: string): OrderSnapshot => {
  if (!order || !SHIPPABLE.has(order.status)) {
    throw new OrderNotShippableError(order?.number ?? fallback, order?.status ?? 'unknown');
  }
  return order;
};

export type WarehouseStep = 'pick' | 'pack' | 'deliver';
const TARGET = { pick: 'picked', pack: 'packed', deliver: 'delivered' } as const;

/**
 * The staff steps of a shipment (API.md "Fulfilment"): pick, pack, dispatch, deliver — each legal only
 * from the step before (409 ILLEGAL_STATE_TRANSITION otherwise), each one transaction with a history
 * entry (the staff member) and its event. Pick, pack and dispatch lock the order first and refuse a
 * cancelled one (409), in the same lock order as checkout's cancellation (order, then shipments), so
 * a cancellation and a dispatch never both succeed.
 */
export class ShipmentSteps {
  constructor(private readonly deps: FulfilmentDeps) {}

  /** pick (pending → picked), pack (picked → packed), deliver (dispatched → delivered). */
  advance(shipmentId: string, step: WarehouseStep, actor: ShipmentActor): Promise<ShipmentView> {
    const to = TARGET[step];
    return this.deps.uow.run(async (scope) => {
      // a delivery is the carrier's news: the parcel left already, the order's state cannot stop it
      const shipment = await this.lock(scope, shipmentId, step === 'deliver' ? null : {});
      shipment.advance(to, actor, this.deps.clock.now());
      return this.saved(scope, shipment, to);
    });
  }

  /**
   * packed → dispatched: the carrier books the parcel first — outside any transaction, with the key
   * `<shipmentId>:dispatch`, so a retried or concurrent dispatch gets the same label — then the step,
   * its tracking number and `ShipmentDispatched` are written. 503 UNAVAILABLE when the carrier cannot
   * be reached (nothing changes).
   */
  async dispatch(shipmentId: string, actor: ShipmentActor): Promise<ShipmentView> {
    const { deps } = this;
    const found = await deps.read.run(({ repos }) => repos.shipments.find(shipmentId));
    if (!found) throw new ShipmentNotFoundError();
    // refused before the carrier is bothered; checked again under the lock below
    if (found.status !== 'packed')
      throw new IllegalStateTransitionError('Shipment', found.status, 'dispatched');
    const s = found.snapshot();
    const order = shippable(await deps.orders.get(s.orderId), s.orderNumber);
    // the carrier needs the address; a customer's erasure (GDPR) removed it from the order
    if (!order.shippingAddress) throw new ShippingAddressErasedError(order.number);
    const address = order.shippingAddress;
    let label: Awaited<ReturnType<typeof deps.carrier.book>>;
    try {
      label = await deps.carrier.book({
        idempotencyKey: `${s.id}:dispatch`,
        shipmentId: s.id,
        orderNumber: s.orderNumber,
        warehouseId: s.warehouseId,
        lines: s.lines,
        address,
      });
    } catch (err) {
      if (err instanceof CarrierUnavailableError) {
        deps.logger.warn({ shipmentId, reason: err.reason }, 'carrier unavailable; dispatch refused');
        throw new UnavailableError('The carrier is unavailable; dispatch the shipment again later');
      }
      throw err;
    }
    return deps.uow.run(async (scope) => {
      const shipment = await this.lock(scope, shipmentId, { orderId: s.orderId });
      shipment.dispatch(label, actor, deps.clock.now());
      return this.saved(scope, shipment, 'dispatched');
    });
  }

  /**
   * The shipment locked, or 404 — after its order was locked and found shippable, unless `order` is
   * null. The order's id is read from the shipment when the caller does not know it.
   */
  private async lock(
    scope: { repos: FulfilmentRepos; tx: TransactionHandle; track: <A extends Shipment>(a: A) => A },
    shipmentId: string,
    order: { orderId?: string } | null,
  ): Promise<Shipment> {
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

  private async saved(
    scope: { repos: FulfilmentRepos; tx: TransactionHandle },
    shipment: Shipment,
    counted: CountedShipmentEvent,
  ): Promise<ShipmentView> {
    await scope.repos.shipments.save(shipment);
    this.deps.count(counted, scope.tx);
    return toShipmentView(shipment);
  }
}
