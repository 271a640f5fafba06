import type { TransactionHandle } from '../../platform/db/unit-of-work.js';
import type { NotificationsDeps } from './notifications.deps.js';
import { QueueNotification } from './queue-notification.use-case.js';

export interface DispatchedShipment {
  /** the integration event's `ce_id` (ShipmentDispatched) */
  eventId: string;
  orderId: string;
  trackingNumber?: string;
}

/**
 * A parcel left the warehouse (ShipmentDispatched, in the consumer's inbox transaction `tx`): the
 * dispatch mail is queued — `replacement-shipped` with the return's number when returns says the order
 * is an exchange's replacement (asked on `tx`), `shipment-dispatched` otherwise. One mail per event
 * whatever the redeliveries, as for every notification; true when this call queued it.
 */
export class QueueShipmentNotification {
  private readonly queue: QueueNotification;

  constructor(private readonly deps: NotificationsDeps) {
    this.queue = new QueueNotification(deps);
  }

  async execute(shipment: DispatchedShipment, tx: TransactionHandle): Promise<boolean> {
    const origin = await this.deps.returns.replacementOrigin(shipment.orderId, tx);
    const tracking = shipment.trackingNumber ? { trackingNumber: shipment.trackingNumber } : {};
    return this.queue.execute(
      {
        eventId: shipment.eventId,
        orderId: shipment.orderId,
        ...(origin
          ? { template: 'replacement-shipped', facts: { ...tracking, returnNumber: origin.number } }
          : { template: 'shipment-dispatched', facts: tracking }),
      },
      tx,
    );
  }
}
