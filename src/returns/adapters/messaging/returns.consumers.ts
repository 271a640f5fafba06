import { customerErasedV1, IdentityEventTypes } from '../../../identity/contract.js';
import { PaymentEventTypes, paymentEventV1 } from '../../../payments/contract.js';
import type { EventHandlerRegistration } from '../../../platform/messaging/consumer.js';
import type { CompleteReturnRefund } from '../../application/complete-return-refund.use-case.js';
import type { EraseCustomerReturns } from '../../application/erase-customer-returns.use-case.js';

/**
 * The returns consumers (each group is its own inbox and, with Kafka, its own consumer group — the
 * names must never change once events flowed):
 * - `returns.payments`: PaymentRefunded with the refund id of a RECEIVED return → REFUNDED (refunds
 *   that are not a return's — admin refunds, cancellations — change nothing);
 * - `returns.erasure`: CustomerErased → the customer's returns lose their note.
 */
export const returnsRegistrations = (useCases: {
  completeRefund: CompleteReturnRefund;
  erase: EraseCustomerReturns;
}): EventHandlerRegistration[] => [
  {
    group: 'returns.payments',
    contexts: ['payments'],
    types: [PaymentEventTypes.PaymentRefunded],
    handle: async (event, tx) => {
      const data = paymentEventV1.parse(event.data);
      if (!data.refundId) return;
      await useCases.completeRefund.execute({ refundId: data.refundId, amount: data.amount }, tx);
    },
  },
  {
    group: 'returns.erasure',
    contexts: ['identity'],
    types: [IdentityEventTypes.CustomerErased],
    handle: async (event, tx) => {
      await useCases.erase.execute(customerErasedV1.parse(event.data).customerId, tx);
    },
  },
];
