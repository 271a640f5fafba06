import { customerErasedV1, IdentityEventTypes } from '../../../identity/contract.js';
import type { EventHandlerRegistration } from '../../../platform/messaging/consumer.js';
import type { EraseCustomerCarts } from '../../application/erase-customer-carts.use-case.js';

/**
 * The cart's consumers (each group is its own inbox and, with Kafka, its own consumer group — the
 * names must never change once events flowed):
 * - `cart.erasure`: CustomerErased → the customer's carts lose their email and shipping address, an
 *   open one expires.
 */
export const cartRegistrations = (use: { erase: EraseCustomerCarts }): EventHandlerRegistration[] => [
  {
    group: 'cart.erasure',
    contexts: ['identity'],
    types: [IdentityEventTypes.CustomerErased],
    handle: async (event, tx) => {
      await use.erase.execute(customerErasedV1.parse(event.data).customerId, tx);
    },
  },
];
