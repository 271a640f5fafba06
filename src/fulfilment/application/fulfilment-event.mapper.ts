import type { IntegrationEventMapper } from '../../platform/db/unit-of-work.js';
import type { DomainEvent } from '../../platform/domain/aggregate-root.js';
import { integrationEventFactory } from '../../platform/messaging/integration-event.js';
import { FULFILMENT_CONTEXT, FulfilmentEventTypes, shipmentEventV1 } from '../contract.js';
import type { ShipmentDomainEvent } from '../domain/shipment.aggregate.js';

const isShipmentEvent = (event: DomainEvent): event is ShipmentDomainEvent =>
  event.name in FulfilmentEventTypes;

/**
 * The shipment's domain events as integration events: `shopcore.fulfilment.<Name>.v1`, subject (and
 * Kafka key) = the shipment id, data `{shipmentId, orderId, warehouseId, trackingNumber?, reason?}`
 * validated by the versioned schema of contract.ts. Ids and facts only — no address, no name.
 */
export const shipmentEventMapper = (region: string): IntegrationEventMapper => {
  const events = integrationEventFactory(region, FULFILMENT_CONTEXT);
  return (event) => {
    if (!isShipmentEvent(event)) return null;
    const data = shipmentEventV1.parse({
      shipmentId: event.aggregateId,
      orderId: event.orderId,
      warehouseId: event.warehouseId,
      ...(event.trackingNumber ? { trackingNumber: event.trackingNumber } : {}),
      ...(event.reason ? { reason: event.reason } : {}),
    });
    return events.create(FulfilmentEventTypes[event.name], event.aggregateId, data, event.occurredAt);
  };
};
