import type { Clock } from '../../platform/clock.js';
import {
  type IntegrationEvent,
  type IntegrationEventFactory,
  integrationEventFactory,
} from '../../platform/messaging/integration-event.js';
import {
  INVENTORY_CONTEXT,
  InventoryEventTypes,
  inventoryReleasedV1,
  inventoryReservationFailedV1,
  inventoryReservedV1,
  stockAdjustedV1,
} from '../contract.js';

type Lines = { sku: string; warehouseId: string; quantity: number }[];

/** Builds the integration events of docs/product/events.md (validated against the versioned schemas of contract.ts). */
export class InventoryEvents {
  private readonly events: IntegrationEventFactory;

  constructor(
    region: string,
    private readonly clock: Clock,
  ) {
    this.events = integrationEventFactory(region, INVENTORY_CONTEXT);
  }

  private envelope(type: string, subject: string, data: Record<string, unknown>): IntegrationEvent {
    return this.events.create(type, subject, data, this.clock.now());
  }

  stockAdjusted(e: { sku: string; warehouseId: string; delta: number; onHand: number; reason: string }) {
    return this.envelope(InventoryEventTypes.StockAdjusted, e.sku, stockAdjustedV1.parse(e));
  }

  reserved(orderId: string, lines: Lines) {
    return this.envelope(
      InventoryEventTypes.InventoryReserved,
      orderId,
      inventoryReservedV1.parse({ orderId, lines }),
    );
  }

  released(orderId: string, lines: Lines, reason: string) {
    return this.envelope(
      InventoryEventTypes.InventoryReleased,
      orderId,
      inventoryReleasedV1.parse({ orderId, lines, reason }),
    );
  }

  reservationFailed(orderId: string, shortSkus: string[]) {
    return this.envelope(
      InventoryEventTypes.InventoryReservationFailed,
      orderId,
      inventoryReservationFailedV1.parse({ orderId, shortSkus }),
    );
  }
}
