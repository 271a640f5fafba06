/**
 * The fulfilment context's public surface: its integration events (docs/product/events.md: ids and facts only) and
 * the facade orders (views) and checkout (reactions to dispatch and delivery, cancellation) read.
 * Fulfilment owns shipments — one per warehouse of a confirmed order's allocation — their steps
 * through the warehouse, and the `Carrier` port that books them and issues tracking numbers.
 */
import { z } from 'zod';
import type { TransactionHandle } from '../platform/db/unit-of-work.js';
import { eventType } from '../platform/messaging/integration-event.js';
import { SHIPMENT_STATUS_VALUES } from './domain/shipment.lifecycle.js';

export const FULFILMENT_CONTEXT = 'fulfilment';

/** pending → picked → packed → dispatched → delivered, or cancelled before dispatch (the domain's list). */
export const SHIPMENT_STATUSES = SHIPMENT_STATUS_VALUES;
export type ShipmentStatus = (typeof SHIPMENT_STATUSES)[number];

// ---- integration events (docs/product/events.md) ----------------------------------------------------------

/**
 * ShipmentCreated, ShipmentDispatched, ShipmentDelivered (docs/product/events.md), and ShipmentPicked,
 * ShipmentPacked, ShipmentCancelled (added). `trackingNumber` from dispatch on; `reason` on
 * cancellation.
 */
export const shipmentEventV1 = z.object({
  shipmentId: z.uuid(),
  orderId: z.uuid(),
  warehouseId: z.uuid(),
  trackingNumber: z.string().optional(),
  reason: z.string().optional(),
});
export type ShipmentEventV1 = z.infer<typeof shipmentEventV1>;

export const FulfilmentEventTypes = {
  ShipmentCreated: eventType(FULFILMENT_CONTEXT, 'ShipmentCreated'),
  ShipmentPicked: eventType(FULFILMENT_CONTEXT, 'ShipmentPicked'),
  ShipmentPacked: eventType(FULFILMENT_CONTEXT, 'ShipmentPacked'),
  ShipmentDispatched: eventType(FULFILMENT_CONTEXT, 'ShipmentDispatched'),
  ShipmentDelivered: eventType(FULFILMENT_CONTEXT, 'ShipmentDelivered'),
  ShipmentCancelled: eventType(FULFILMENT_CONTEXT, 'ShipmentCancelled'),
} as const;

// ---- the facade ------------------------------------------------------------------------------

/** A shipment as the order view shows it (docs/product/api.md `shipments:[{id, status, warehouseId, trackingNumber}]`). */
export interface ShipmentSummary {
  id: string;
  status: ShipmentStatus;
  warehouseId: string;
  trackingNumber: string | null;
  /** what the parcel holds (returns counts delivered units per SKU) */
  lines: { sku: string; quantity: number }[];
  /** when it was delivered; null before (returns counts its window from the last delivery) */
  deliveredAt: Date | null;
}

/** Reads of fulfilment for other contexts; on the caller's transaction `tx` when it holds one (ADR 0013). */
export interface FulfilmentFacade {
  /** The shipments of these orders, oldest first per order (orders without any are absent). */
  shipmentsOf(orderIds: readonly string[], tx?: TransactionHandle): Promise<Map<string, ShipmentSummary[]>>;
}
