/**
 * The inventory context's public surface: its integration events and the facade other contexts call
 * (catalog for browsing availability, cart when adding lines, checkout when reserving).
 */
import { z } from 'zod';
import type { TransactionHandle } from '../platform/db/unit-of-work.js';
import { eventType } from '../platform/messaging/integration-event.js';

export const INVENTORY_CONTEXT = 'inventory';

const allocationLine = z.object({
  sku: z.string(),
  warehouseId: z.uuid(),
  quantity: z.number().int().positive(),
});

export const stockAdjustedV1 = z.object({
  sku: z.string(),
  warehouseId: z.uuid(),
  delta: z.number().int(),
  onHand: z.number().int(),
  reason: z.string(),
});
/** docs/product/events.md gives InventoryReserved and InventoryReleased one data shape, `reason` optional in both. */
export const inventoryReservedV1 = z.object({
  orderId: z.uuid(),
  lines: z.array(allocationLine),
  reason: z.string().optional(),
});
export const inventoryReleasedV1 = z.object({
  orderId: z.uuid(),
  lines: z.array(allocationLine),
  reason: z.string().optional(),
});
export const inventoryReservationFailedV1 = z.object({ orderId: z.uuid(), shortSkus: z.array(z.string()) });

export const InventoryEventTypes = {
  StockAdjusted: eventType(INVENTORY_CONTEXT, 'StockAdjusted'),
  InventoryReserved: eventType(INVENTORY_CONTEXT, 'InventoryReserved'),
  InventoryReleased: eventType(INVENTORY_CONTEXT, 'InventoryReleased'),
  InventoryReservationFailed: eventType(INVENTORY_CONTEXT, 'InventoryReservationFailed'),
} as const;

export interface ReservationLine {
  sku: string;
  quantity: number;
}

export interface AllocatedLine {
  sku: string;
  warehouseId: string;
  quantity: number;
}

export type ReservationResult =
  | { ok: true; orderId: string; lines: AllocatedLine[]; expiresAt: Date }
  | { ok: false; orderId: string; shortSkus: string[] };

/** Inventory facts and commands for other contexts. */
export interface InventoryFacade {
  /**
   * Sellable quantity per SKU in this region (on hand − reserved, summed over the region's
   * warehouses); SKUs inventory has never seen are 0. `fresh: false` may answer from a short-lived
   * cache (browsing); `fresh: true` reads Postgres (adding to a cart), on the caller's transaction
   * when `tx` is given.
   */
  availability(
    skus: readonly string[],
    opts?: { fresh?: boolean; tx?: TransactionHandle },
  ): Promise<Map<string, number>>;
  /**
   * Reserves every line of the order or none (then `shortSkus`), strongly consistent under any
   * concurrency on any number of instances. Runs in the caller's transaction when `tx` is given
   * (checkout), else in its own. Writes InventoryReserved / InventoryReservationFailed.
   */
  reserve(
    orderId: string,
    lines: readonly ReservationLine[],
    tx?: TransactionHandle,
  ): Promise<ReservationResult>;
  /** Releases what the order still holds (idempotent); writes InventoryReleased with the reason. */
  release(orderId: string, reason: string, tx?: TransactionHandle): Promise<AllocatedLine[]>;
}

/**
 * What orders, checkout and fulfilment additionally need once an order is paid: a confirmed
 * reservation no longer expires (it holds until released — cancellation — or shipped).
 */
export interface InventoryOrderFacade extends InventoryFacade {
  /** `reserved` → `confirmed` inside `tx` when given; false when the order holds nothing. */
  confirm(orderId: string, tx?: TransactionHandle): Promise<boolean>;
  /**
   * What the order's reservation allocated, by SKU and warehouse (fulfilment creates one shipment per
   * warehouse); empty when it holds none or it was released. Read on `tx` when given.
   */
  allocationOf(orderId: string, tx?: TransactionHandle): Promise<AllocatedLine[]>;
  /**
   * The order's units in `warehouseId` left with a dispatched shipment: taken off on hand and reserved,
   * with `shipment` movements in the ledger and `StockAdjusted`. Idempotent; returns what shipped now
   * (empty when it had shipped before). 409 CONFLICT when the order holds no reservation.
   */
  ship(orderId: string, warehouseId: string, tx?: TransactionHandle): Promise<AllocatedLine[]>;
  /**
   * Units of a return received into `warehouseId` inside `tx`: resellable ones back on hand (ledger reason
   * `return`), damaged ones recorded as come back and written off (`return` then `write_off`, on hand
   * unchanged), each with `StockAdjusted`. Idempotent per `returnId`: a second call changes nothing and
   * returns what the first recorded. 404 for an unknown warehouse.
   */
  receiveReturn(input: ReturnReceipt, tx: TransactionHandle): Promise<ReturnReceiptResult>;
}

/** Units of a return, as staff received them into one warehouse. */
export interface ReturnReceipt {
  returnId: string;
  warehouseId: string;
  lines: readonly { sku: string; quantity: number; condition: 'resellable' | 'damaged' }[];
}

/** What a return's receipt did to the stock of its warehouse. */
export interface ReturnReceiptResult {
  /** units back on hand, by SKU */
  restocked: { sku: string; quantity: number }[];
  /** units written off, by SKU */
  writtenOff: { sku: string; quantity: number }[];
}
