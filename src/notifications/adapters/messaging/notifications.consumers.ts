import { FulfilmentEventTypes, shipmentEventV1 } from '../../../fulfilment/contract.js';
import { customerErasedV1, IdentityEventTypes } from '../../../identity/contract.js';
import { OrderEventTypes, orderStatusChangedV1 } from '../../../orders/contract.js';
import { PaymentEventTypes, paymentEventV1 } from '../../../payments/contract.js';
import type { EventHandlerRegistration } from '../../../platform/messaging/consumer.js';
import type { EraseCustomerNotifications } from '../../application/erase-customer-notifications.use-case.js';
import type { QueueNotification } from '../../application/queue-notification.use-case.js';

/**
 * The notifications' consumers (each group is its own inbox and, with Kafka, its own consumer group —
 * the names must never change once events flowed). Each queues a notification in its inbox
 * transaction; the sender (a periodic task) renders and sends it later, so a dead SMTP server never
 * holds up a consumer.
 * - `notifications.orders`: OrderConfirmed → `order-confirmed`, OrderCancelled → `order-cancelled`;
 * - `notifications.shipments`: ShipmentDispatched → `shipment-dispatched` (with the tracking number);
 * - `notifications.payments`: PaymentRefunded → `refund-issued` (with the amount);
 * - `notifications.erasure`: CustomerErased → the customer's notifications lose address and content.
 */
export const notificationsRegistrations = (use: {
  queue: QueueNotification;
  erase: EraseCustomerNotifications;
}): EventHandlerRegistration[] => [
  {
    group: 'notifications.orders',
    contexts: ['orders'],
    types: [OrderEventTypes.OrderConfirmed, OrderEventTypes.OrderCancelled],
    handle: async (event, tx) => {
      const data = orderStatusChangedV1.parse(event.data);
      const confirmed = event.type === OrderEventTypes.OrderConfirmed;
      await use.queue.execute(
        {
          eventId: event.id,
          template: confirmed ? 'order-confirmed' : 'order-cancelled',
          orderId: data.orderId,
          facts: !confirmed && data.reason ? { reason: data.reason } : {},
        },
        tx,
      );
    },
  },
  {
    group: 'notifications.shipments',
    contexts: ['fulfilment'],
    types: [FulfilmentEventTypes.ShipmentDispatched],
    handle: async (event, tx) => {
      const data = shipmentEventV1.parse(event.data);
      await use.queue.execute(
        {
          eventId: event.id,
          template: 'shipment-dispatched',
          orderId: data.orderId,
          facts: data.trackingNumber ? { trackingNumber: data.trackingNumber } : {},
        },
        tx,
      );
    },
  },
  {
    group: 'notifications.payments',
    contexts: ['payments'],
    types: [PaymentEventTypes.PaymentRefunded],
    handle: async (event, tx) => {
      const data = paymentEventV1.parse(event.data);
      await use.queue.execute(
        {
          eventId: event.id,
          template: 'refund-issued',
          orderId: data.orderId,
          facts: { amount: data.amount, currency: data.currency },
        },
        tx,
      );
    },
  },
  {
    group: 'notifications.erasure',
    contexts: ['identity'],
    types: [IdentityEventTypes.CustomerErased],
    handle: async (event, tx) => {
      await use.erase.execute(customerErasedV1.parse(event.data).customerId, tx);
    },
  },
];
