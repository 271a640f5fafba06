import type { StockLevel, Warehouse } from '../domain/inventory.rules.js';

export interface AllocationRequest {
  /** one line per SKU, each quantity ≥ 1; the region holds at least this much of every SKU in total */
  lines: readonly { sku: string; quantity: number }[];
  /** the region's warehouses */
  warehouses: readonly Warehouse[];
  /** current (locked) stock of the requested SKUs; a missing row means nothing there */
  stock: readonly StockLevel[];
}

/**
 * Policy port (docs/architecture.md convention 8): decides which warehouses ship which units of an order.
 * It must allocate every requested unit and never more than a warehouse's `onHand − reserved`; the
 * reservation use case checks the answer and refuses an allocation that breaks either rule.
 */
export interface StockAllocation {
  allocate(request: AllocationRequest): { sku: string; warehouseId: string; quantity: number }[];
}
