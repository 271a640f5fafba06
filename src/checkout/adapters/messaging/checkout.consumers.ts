import { FulfilmentEventTypes } from '../../../fulfilment/contract.js';
import { InventoryEventTypes } from '../../../inventory/contract.js';
import { PaymentEventTypes } from '../../../payments/contract.js';
import type { EventHandlerRegistration } from '../../../platform/messaging/consumer.js';
import type { ExpireUnpaidOrder } from '../../application/expire-order.use-case.js';
import type { FollowShipments } from '../../application/follow-shipments.use-case.js';
import type { NoteCapture } from '../../application/note-capture.use-case.js';

/**
 * The checkout consumers (each group is its own inbox and, with Kafka, its own consumer group — the
 * names must never change once events flowed):
 * - `checkout.reservation-expiry`: InventoryReleased (expired) → the unconfirmed order is cancelled;
 * - `checkout.shipments`: ShipmentPicked, ShipmentDispatched, ShipmentDelivered → the order follows;
 * - `checkout.capture-notes`: PaymentCaptureFailed, PaymentCaptured → a note on the order.
 */
export const checkoutRegistrations = (useCases: {
  expire: ExpireUnpaidOrder;
  follow: FollowShipments;
  noteCapture: NoteCapture;
}): EventHandlerRegistration[] => {
  const { expire, follow, noteCapture } = useCases;
  return [
    {
      // docs/product/spec.md step 5: an expired reservation cancels the order that never got confirmed
      group: 'checkout.reservation-expiry',
      contexts: ['inventory'],
      types: [InventoryEventTypes.InventoryReleased],
      handle: (event, tx) => expire.execute(event, tx),
    },
    {
      // docs/product/spec.md step 6: a dispatch takes its stock off the shelf, captures the payment and ships the order; deliveries deliver it
      group: 'checkout.shipments',
      contexts: ['fulfilment'],
      types: [
        FulfilmentEventTypes.ShipmentPicked,
        FulfilmentEventTypes.ShipmentDispatched,
        FulfilmentEventTypes.ShipmentDelivered,
      ],
      handle: (event, tx) => follow.execute(event, tx),
    },
    {
      // a capture that failed (and is retried), or went through, shows in the order's history
      group: 'checkout.capture-notes',
      contexts: ['payments'],
      types: [PaymentEventTypes.PaymentCaptureFailed, PaymentEventTypes.PaymentCaptured],
      handle: (event, tx) => noteCapture.execute(event, tx),
    },
  ];
};
