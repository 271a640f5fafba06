import type { IntegrationEventMapper } from '../../platform/db/unit-of-work.js';
import type { DomainEvent } from '../../platform/domain/aggregate-root.js';
import { integrationEventFactory } from '../../platform/messaging/integration-event.js';
import { PAYMENTS_CONTEXT, PaymentEventTypes, paymentEventV1 } from '../contract.js';
import type { PaymentDomainEvent } from '../domain/payment.aggregate.js';

const isPaymentEvent = (event: DomainEvent): event is PaymentDomainEvent => event.name in PaymentEventTypes;

/**
 * The payment's domain events as the integration events of docs/product/events.md: `shopcore.payments.<Name>.v1`,
 * subject (and Kafka key) = the payment id, data `{paymentId, orderId, amount, currency, reason?, refundId?}`
 * validated by the versioned schema of contract.ts (`refundId`: PaymentRefunded of a refund we asked for —
 * `requestRefund`'s id, an admin's or a cancellation's refund, or one of ours a webhook announced). Ids and amounts only: no token, brand or card digits.
 */
export const paymentEventMapper = (region: string): IntegrationEventMapper => {
  const events = integrationEventFactory(region, PAYMENTS_CONTEXT);
  return (event) => {
    if (!isPaymentEvent(event)) return null;
    const data = paymentEventV1.parse({
      paymentId: event.aggregateId,
      orderId: event.orderId,
      amount: event.amount,
      currency: event.currency,
      ...(event.reason ? { reason: event.reason } : {}),
      ...(event.refundId ? { refundId: event.refundId } : {}),
    });
    return events.create(PaymentEventTypes[event.name], event.aggregateId, data, event.occurredAt);
  };
};
