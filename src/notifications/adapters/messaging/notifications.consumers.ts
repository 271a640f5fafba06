import { FulfilmentEventTypes, shipmentEventV1 } from '../../../fulfilment/contract.js';
import { customerErasedV1, IdentityEventTypes } from '../../../identity/contract.js';
import { OrderEventTypes, orderStatusChangedV1 } from '../../../orders/contract.js';
import { PaymentEventTypes, paymentEventV1 } from '../../../payments/contract.js';
import type { EventHandlerRegistration } from '../../../platform/messaging/consumer.js';
import { ReturnEventTypes, returnEventV1, returnSettledV1 } from '../../../returns/contract.js';
import type { EraseCustomerNotifications } from '../../application/erase-customer-notifications.use-case.js';
import type { QueueNotification } from '../../application/queue-notification.use-case.js';
import type { QueueRefundNotification } from '../../application/queue-refund-notification.use-case.js';
import type { QueueShipmentNotification } from '../../application/queue-shipment-notification.use-case.js';

/**
 * The notifications' consumers (each group is its own inbox and, with Kafka, its own consumer group —
 * the names must never change once events flowed). Each queues a notification in its inbox
 * transaction; the sender (a periodic task) renders and sends it later, so a dead SMTP server never
 * holds up a consumer.
 * - `notifications.orders`: OrderConfirmed → `order-confirmed`, OrderCancelled → `order-cancelled`;
 * - `notifications.shipments`: ShipmentDispatched → `shipment-dispatched` (with the tracking number),
 *   or `replacement-shipped` (with the return's number too) when returns says the order is an
 *   exchange's replacement;
 * - `notifications.payments`: PaymentRefunded → `refund-issued` (with the amount), except for a
 *   return's refund, which `return-refunded` tells;
 * - `notifications.returns`: ReturnApproved → `return-approved` (the return's number and lines),
 *   ReturnRefunded → `return-refunded` (its number and amount). ReturnExchanged sends nothing: the
 *   replacement's dispatch mail tells the customer;
 * - `notifications.erasure`: CustomerErased → the customer's notifications lose address and content.
 */
export const notificationsRegistrations = (use: {
  queue: QueueNotification;
  queueShipment: QueueShipmentNotification;
  queueRefund: QueueRefundNotification;
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
      await use.queueShipment.execute(
        {
          eventId: event.id,
          orderId: data.orderId,
          ...(data.trackingNumber ? { trackingNumber: data.trackingNumber } : {}),
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
      await use.queueRefund.execute(
        {
          eventId: event.id,
          orderId: data.orderId,
          ...(data.refundId ? { refundId: data.refundId } : {}),
          amount: data.amount,
          currency: data.currency,
        },
        tx,
      );
    },
  },
  {
    group: 'notifications.returns',
    contexts: ['returns'],
    types: [ReturnEventTypes.ReturnApproved, ReturnEventTypes.ReturnRefunded],
    handle: async (event, tx) => {
      if (event.type === ReturnEventTypes.ReturnApproved) {
        const data = returnEventV1.parse(event.data);
        await use.queue.execute(
          {
            eventId: event.id,
            template: 'return-approved',
            orderId: data.orderId,
            facts: {
              returnNumber: data.number,
              returnLines: data.lines.map((l) => ({ sku: l.sku, quantity: l.quantity })),
            },
          },
          tx,
        );
        return;
      }
      const data = returnSettledV1.parse(event.data);
      // a refund of nothing (the order had nothing left to refund) is told as such, without a sum
      const refund = data.refund && data.refund.amount > 0 ? data.refund : null;
      await use.queue.execute(
        {
          eventId: event.id,
          template: 'return-refunded',
          orderId: data.orderId,
          facts: {
            returnNumber: data.number,
            ...(refund ? { amount: refund.amount, currency: refund.currency } : {}),
          },
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
