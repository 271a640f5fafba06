import type { AllocatedQuantity, Movement, StockLevel, Warehouse } from '../domain/inventory.rules.js';
import type { ReservationStatus } from '../domain/reservation.lifecycle.js';

export type { AllocatedQuantity } from '../domain/inventory.rules.js';

export interface ReservationHeader {
  orderId: string;
  /**
   * Moved only along domain/reservation.lifecycle.ts. `shipped`: every line left its warehouse (its
   * shipment was dispatched); nothing is held any more
   */
  status: ReservationStatus;
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
  /**
   * Records that a return was received into a warehouse — the return's idempotency anchor, written
   * before its movements. False when the return was received before (nothing written); a receipt of the
   * same return still in flight in another transaction is waited for (the unique key), so the answer is
   * that transaction's outcome.
   */
  recordReturnReceipt(returnId: string, warehouseId: string, now: Date): Promise<boolean>;
  /** The ledger rows of a return's receipt (`return`, `write_off`), in ledger order. */
  returnMovements(returnId: string): Promise<Movement[]>;
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
  /** The order's unshipped lines in this warehouse left it (`shipped_at` = now). */
  markLinesShipped(orderId: string, warehouseId: string, now: Date): Promise<void>;
  /**
   * Inserts the header of a new reservation in `status` (the lifecycle's initial one); false when the
   * order has one already (nothing written).
   */
  insertReservation(orderId: string, status: ReservationStatus, expiresAt: Date, now: Date): Promise<boolean>;
  /** Locks the order's header; null when it has none. */
  lockReservation(orderId: string): Promise<ReservationHeader | null>;
  /**
   * A released reservation held again: `status` (the lifecycle moved it), a new expiry, its release
   * forgotten and its old lines dropped.
   */
  renewReservation(orderId: string, status: ReservationStatus, expiresAt: Date): Promise<void>;
  insertReservationLines(orderId: string, lines: readonly AllocatedQuantity[]): Promise<void>;
  /**
   * Locks up to `limit` `reserved` reservations that expired at `now`, oldest first. Rows another
   * transaction holds are skipped (SKIP LOCKED), so several sweepers share the work without waiting.
   */
  lockExpired(now: Date, limit: number): Promise<ReservationHeader[]>;
  /**
   * Writes the status the lifecycle moved these (locked) reservations to; `release` records when and
   * why they were released.
   */
  setReservationStatus(
    orderIds: readonly string[],
    status: ReservationStatus,
    release?: { reason: string; at: Date },
  ): Promise<void>;
}

export interface InventoryRepos {
  store: InventoryStore;
}
