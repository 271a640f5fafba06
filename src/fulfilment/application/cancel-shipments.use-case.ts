import type { TransactionHandle } from '../../platform/db/unit-of-work.js';
import type { Shipment } from '../domain/shipment.aggregate.js';
import type { FulfilmentDeps } from './fulfilment.deps.js';

/**
 * Reaction to `OrderCancelled`, inside the consumer's inbox transaction `tx`: every shipment of the
 * order still in the warehouse (pending, picked, packed) is `cancelled` with `ShipmentCancelled`.
 * Checkout refuses to cancel an order once a shipment was dispatched, so none should have left; one
 * that did is logged and kept (the parcel is with the carrier). Redelivered: nothing changes.
 */
export class CancelShipments {
  constructor(private readonly deps: FulfilmentDeps) {}

  execute(orderId: string, reason: string | undefined, tx: TransactionHandle): Promise<Shipment[]> {
    const { deps } = this;
    return deps.uow.join(tx, async ({ repos, track }) => {
      const now = deps.clock.now();
      const cancelled: Shipment[] = [];
      for (const shipment of await repos.shipments.ofOrder(orderId, true)) {
        if (shipment.leftWarehouse) {
          deps.logger.error(
            { orderId, shipmentId: shipment.id, status: shipment.status },
            'a cancelled order has a shipment that left the warehouse; it is kept',
          );
          continue;
        }
        if (shipment.cancel(reason ?? 'order cancelled', { kind: 'system' }, now)) {
          track(shipment);
          await repos.shipments.save(shipment);
          deps.count('cancelled', tx);
          cancelled.push(shipment);
        }
      }
      return cancelled;
    });
  }
}
