import type { ShipmentSummary } from '../contract.js';
import type { Shipment } from '../domain/shipment.aggregate.js';
import type { ShipmentStatus } from '../domain/shipment.lifecycle.js';

/** A place in the staff listing, oldest first: `(createdAt, id)` ascending. */
export interface ShipmentPosition {
  createdAt: Date;
  id: string;
}

export interface ShipmentFilter {
  status?: ShipmentStatus;
  orderId?: string;
}

export interface ShipmentPage {
  shipments: Shipment[];
  /** where the next page starts, or null on the last page */
  next: ShipmentPosition | null;
}

/** Persistence port of fulfilment: shipments with their lines and history. */
export interface ShipmentRepository {
  /** Inserts the shipment; false (nothing written) when the order has one for that warehouse already. */
  insert(shipment: Shipment): Promise<boolean>;
  find(id: string): Promise<Shipment | null>;
  /** The shipment, its row locked for the rest of the transaction. */
  findForUpdate(id: string): Promise<Shipment | null>;
  /** The order's shipments, oldest first; `lock` locks their rows (in id order). */
  ofOrder(orderId: string, lock: boolean): Promise<Shipment[]>;
  /** Writes the status, carrier, tracking number and new history; fails on a stale copy. */
  save(shipment: Shipment): Promise<void>;
  /** Oldest first, keyset-paginated after `after`, with every filter given. */
  page(filter: ShipmentFilter, limit: number, after: ShipmentPosition | null): Promise<ShipmentPage>;
  /** The shipments of these orders as the order view shows them, oldest first per order. */
  summariesOf(orderIds: readonly string[]): Promise<Map<string, ShipmentSummary[]>>;
}

export interface FulfilmentRepos {
  shipments: ShipmentRepository;
}
