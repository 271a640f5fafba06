import type { Movement, StockLevel, Warehouse } from '../domain/inventory.rules.js';

export interface AllocatedQuantity {
  sku: string;
  warehouseId: string;
  quantity: number;
}

export interface ReservationHeader {
  orderId: string;
  /** `shipped`: every line left its warehouse (fulfilment dispatched it); nothing is held any more */
  status: 'reserved' | 'confirmed' | 'released' | 'shipped';
  expiresAt: Date;
}

/** Persistence port of inventory (one region: callers pass the region's warehouse ids). */
export interface InventoryStore {
  /** Creates the region's warehouses that are missing (idempotent, race-safe) and returns them all. */
  ensureWarehouses(region: string, presets: readonly { code: string; name: string }[]): Promise<Warehouse[]>;
  /** The region's warehouses with these codes (only those that exist). */
  findWarehouses(region: string, codes: readonly string[]): Promise<Warehouse[]>;

  /** Stock rows of these SKUs in these warehouses, without locks. */
  levels(skus: readonly string[], warehouseIds: readonly string[]): Promise<StockLevel[]>;
  /** Sum of `onHand − reserved` per SKU over these warehouses (SKUs without rows are absent). */
  available(skus: readonly string[], warehouseIds: readonly string[]): Promise<Map<string, number>>;
  /**
   * Locks the stock rows of these SKUs in these warehouses for the rest of the transaction, always in
   * the same order (sku, warehouse id), so that concurrent reservations never wait on each other in a
   * cycle.
   */
  lockLevels(skus: readonly string[], warehouseIds: readonly string[]): Promise<StockLevel[]>;
  /**
   * Adds `quantity` to reserved for every line, each only while `onHand − reserved ≥ quantity` still
   * holds; returns the rows as written. Fewer rows than lines means the guard refused one.
   */
  addReserved(lines: readonly AllocatedQuantity[], now: Date): Promise<StockLevel[]>;
  /** Subtracts `quantity` from reserved for every line; returns the rows as written. */
  subtractReserved(lines: readonly AllocatedQuantity[], now: Date): Promise<StockLevel[]>;
  /**
   * Changes on hand by `delta` while the result stays ≥ reserved (and ≥ 0); creates the row for a
   * positive delta. Null when the guard refused (nothing written).
   */
  adjust(sku: string, warehouseId: string, delta: number, now: Date): Promise<StockLevel | null>;

  appendMovements(movements: readonly Movement[]): Promise<void>;
  /** Newest first, strictly before `beforeSeq` when given; `seq` is the keyset position. */
  movements(sku: string, limit: number, beforeSeq: string | null): Promise<(Movement & { seq: string })[]>;

  findReservation(orderId: string): Promise<ReservationHeader | null>;
  /** The order's allocated lines; `unshipped`: only those still in their warehouse (what it holds). */
  reservationLines(orderId: string, which?: 'all' | 'unshipped'): Promise<AllocatedQuantity[]>;
  /**
   * Takes shipped units off both on hand and reserved, for every line, each only while reserved ≥ the
   * quantity; returns the rows as written (fewer than lines: the guard refused one).
   */
  consumeReserved(lines: readonly AllocatedQuantity[], now: Date): Promise<StockLevel[]>;
  /** The order's lines in this warehouse left it; the reservation is `shipped` once none is left. */
  markShipped(orderId: string, warehouseId: string, now: Date): Promise<void>;
  /** Inserts the header of a new reservation; false when the order has one already (nothing written). */
  insertReservation(orderId: string, expiresAt: Date, now: Date): Promise<boolean>;
  /** Locks the order's header; null when it has none. */
  lockReservation(orderId: string): Promise<ReservationHeader | null>;
  /** A released reservation held again: status reserved, new expiry, its old lines dropped. */
  renewReservation(orderId: string, expiresAt: Date): Promise<void>;
  insertReservationLines(orderId: string, lines: readonly AllocatedQuantity[]): Promise<void>;
  /**
   * Locks up to `limit` `reserved` reservations that expired at `now`, oldest first. Rows another
   * transaction holds are skipped (SKIP LOCKED), so several sweepers share the work without waiting.
   */
  lockExpired(now: Date, limit: number): Promise<string[]>;
  markReleased(orderIds: readonly string[], reason: string, now: Date): Promise<void>;
  /** `reserved` → `confirmed` (no expiry); false when the order holds nothing. */
  confirm(orderId: string): Promise<boolean>;
}

export interface InventoryRepos {
  store: InventoryStore;
}
