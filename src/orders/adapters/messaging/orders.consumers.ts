import { customerErasedV1, IdentityEventTypes } from '../../../identity/contract.js';
import type { EventHandlerRegistration } from '../../../platform/messaging/consumer.js';
import type { EraseCustomerOrders } from '../../application/erase-customer-orders.use-case.js';

/**
 * The orders' consumers (each group is its own inbox and, with Kafka, its own consumer group — the
 * names must never change once events flowed):
 * - `orders.erasure`: CustomerErased → the customer's orders lose their email and shipping address.
 */
export const ordersRegistrations = (useCases: { erase: EraseCustomerOrders }): EventHandlerRegistration[] => [
  {
    group: 'orders.erasure',
    contexts: ['identity'],
    types: [IdentityEventTypes.CustomerErased],
    handle: async (event, tx) => {
      await useCases.erase.execute(customerErasedV1.parse(event.data).customerId, tx);
    },
  },
];
