import type { IntegrationEventMapper } from '../../platform/db/unit-of-work.js';
import type { DomainEvent } from '../../platform/domain/aggregate-root.js';
import { integrationEventFactory } from '../../platform/messaging/integration-event.js';
import { RETURNS_CONTEXT, ReturnEventTypes, returnEventV1, returnSettledV1 } from '../contract.js';
import type { ReturnDomainEvent } from '../domain/return.aggregate.js';

const isReturnEvent = (event: DomainEvent): event is ReturnDomainEvent => event.name in ReturnEventTypes;

/**
 * The return's domain events as integration events: `shopcore.returns.<Name>.v1`, subject (and Kafka
 * key) = the return id. ReturnRequested … ReturnReceived carry `{returnId, orderId, number, lines,
 * reason?}` (received units for ReturnReceived); ReturnRefunded and ReturnExchanged `{returnId,
 * orderId, number, refund?, replacementOrderId?}` — an exchange's refund only when there is a
 * difference. Ids and facts only: never the customer's note.
 */
export const returnEventMapper = (region: string): IntegrationEventMapper => {
  const events = integrationEventFactory(region, RETURNS_CONTEXT);
  return (event) => {
    if (!isReturnEvent(event)) return null;
    const type = ReturnEventTypes[event.name];
    if (event.name === 'ReturnRefunded' || event.name === 'ReturnExchanged') {
      const refund =
        event.refund && (event.name === 'ReturnRefunded' || event.refund.amount > 0) ? event.refund : null;
      const data = returnSettledV1.parse({
        returnId: event.aggregateId,
        orderId: event.orderId,
        number: event.number,
        ...(refund ? { refund: { amount: refund.amount, currency: refund.currency } } : {}),
        ...(event.replacementOrderId ? { replacementOrderId: event.replacementOrderId } : {}),
      });
      return events.create(type, event.aggregateId, data, event.occurredAt);
    }
    const data = returnEventV1.parse({
      returnId: event.aggregateId,
      orderId: event.orderId,
      number: event.number,
      lines: event.lines.map((l) => ({ sku: l.sku, quantity: l.quantity })),
      ...(event.reason ? { reason: event.reason } : {}),
    });
    return events.create(type, event.aggregateId, data, event.occurredAt);
  };
};
