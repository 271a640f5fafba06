import { IllegalStateTransitionError, UnavailableError } from '../../platform/errors.js';
import { ShipmentNotFoundError, ShippingAddressErasedError } from '../domain/fulfilment.errors.js';
import type { ShipmentActor } from '../domain/shipment.aggregate.js';
import { CarrierUnavailableError } from './carrier.port.js';
import type { FulfilmentDeps } from './fulfilment.deps.js';
import type { ShipmentView } from './shipment.view.js';
import { type ShipmentStepper, shippable } from './shipment-steps.service.js';

/**
 * packed → dispatched (docs/product/api.md "Fulfilment"): the carrier books the parcel first — outside any
 * transaction, with the key `<shipmentId>:dispatch`, so a retried or concurrent dispatch gets the same
 * label — then the step, its tracking number and `ShipmentDispatched` are written, under the order's
 * lock (a cancelled order's shipment is refused, 409). 503 UNAVAILABLE when the carrier cannot be
 * reached (nothing changes); 409 when the customer's erasure removed the address.
 */
export class DispatchShipment {
  constructor(
    private readonly deps: FulfilmentDeps,
    private readonly stepper: ShipmentStepper,
  ) {}

  async execute(shipmentId: string, actor: ShipmentActor): Promise<ShipmentView> {
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
      const shipment = await this.stepper.lock(scope, shipmentId, { orderId: s.orderId });
      shipment.dispatch(label, actor, deps.clock.now());
      return this.stepper.save(scope, shipment, 'dispatched');
    });
  }
}
