import type { IntegrationEventMapper } from '../../platform/db/unit-of-work.js';
import type { DomainEvent } from '../../platform/domain/aggregate-root.js';
import { newId } from '../../platform/ids.js';
import type { IntegrationEvent } from '../../platform/messaging/integration-event.js';
import {
  EVENT_OF_STATUS,
  ORDERS_CONTEXT,
  OrderEventTypes,
  orderPlacedV1,
  orderStatusChangedV1,
} from '../contract.js';
import type { OrderDomainEvent } from '../domain/order.aggregate.js';

/**
 * Maps the order's domain events to the integration events of EVENTS.md: `OrderPlaced`, and for a move
 * into CONFIRMED, CANCELLED, SHIPPED, DELIVERED or COMPLETED the status's event (EVENT_OF_STATUS);
 * moves into the other statuses stay internal. Ids and facts only: no email, no address.
 */
export const orderEventMapper =
  (region: string): IntegrationEventMapper =>
  (domainEvent: DomainEvent): IntegrationEvent | null => {
    const event = domainEvent as OrderDomainEvent;
    const envelope = (type: string, data: Record<string, unknown>): IntegrationEvent => ({
      id: newId(),
      context: ORDERS_CONTEXT,
      type,
      source: `urn:shopcore:${region}:${ORDERS_CONTEXT}`,
      subject: event.aggregateId,
      time: event.occurredAt.toISOString(),
      data,
    });
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
