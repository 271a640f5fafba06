import { OrderEventTypes, orderStatusChangedV1 } from '../../../orders/contract.js';
import type { EventHandlerRegistration } from '../../../platform/messaging/consumer.js';
import type { CancelShipments } from '../../application/cancel-shipments.use-case.js';
import type { CreateShipments } from '../../application/create-shipments.use-case.js';

/**
 * The fulfilment consumers (each group is its own inbox and, with Kafka, its own consumer group — the
 * names must never change once events flowed):
 * - `fulfilment.orders`: docs/product/spec.md checkout step 6 — shipments for a confirmed order (OrderConfirmed); a
 *   cancelled order's are cancelled (OrderCancelled). One group for both types keeps them in order per
 *   order (one key, one partition).
 */
export const fulfilmentRegistrations = (useCases: {
  create: CreateShipments;
  cancel: CancelShipments;
}): EventHandlerRegistration[] => [
  {
    group: 'fulfilment.orders',
    contexts: ['orders'],
    types: [OrderEventTypes.OrderConfirmed, OrderEventTypes.OrderCancelled],
    handle: async (event, tx) => {
      const data = orderStatusChangedV1.parse(event.data);
      if (event.type === OrderEventTypes.OrderConfirmed) await useCases.create.execute(data.orderId, tx);
      else await useCases.cancel.execute(data.orderId, data.reason, tx);
    },
  },
];
