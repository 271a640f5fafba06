import type { IntegrationEventMapper } from '../../platform/db/unit-of-work.js';
import type { DomainEvent } from '../../platform/domain/aggregate-root.js';
import { integrationEventFactory } from '../../platform/messaging/integration-event.js';
import {
  EVENT_OF_STATUS,
  ORDERS_CONTEXT,
  OrderEventTypes,
  orderPlacedV1,
  orderStatusChangedV1,
} from '../contract.js';
import type { OrderDomainEvent } from '../domain/order.aggregate.js';

/**
 * Maps the order's domain events to the integration events of docs/product/events.md: `OrderPlaced`, and for a move
 * into CONFIRMED, CANCELLED, SHIPPED, DELIVERED or COMPLETED the status's event (EVENT_OF_STATUS);
 * moves into the other statuses stay internal. Ids and facts only: no email, no address.
 */
export const orderEventMapper = (region: string): IntegrationEventMapper => {
  const events = integrationEventFactory(region, ORDERS_CONTEXT);
  return (domainEvent: DomainEvent) => {
    const event = domainEvent as OrderDomainEvent;
    const envelope = (type: string, data: Record<string, unknown>) =>
      events.create(type, event.aggregateId, data, event.occurredAt);
    switch (event.name) {
      case 'OrderPlaced':
        return envelope(
          OrderEventTypes.OrderPlaced,
          orderPlacedV1.parse({
            orderId: event.aggregateId,
            number: event.number,
            ...(event.customerId ? { customerId: event.customerId } : {}),
            currency: event.currency,
            total: event.total,
            lines: event.lines,
          }),
        );
      case 'OrderStatusChanged': {
        const type = EVENT_OF_STATUS[event.to];
        if (!type) return null;
        return envelope(
          type,
          orderStatusChangedV1.parse({
            orderId: event.aggregateId,
            number: event.number,
            ...(event.reason ? { reason: event.reason } : {}),
          }),
        );
      }
      default:
        return null;
    }
  };
};
