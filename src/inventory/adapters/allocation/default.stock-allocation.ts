import type { AllocationRequest, StockAllocation } from '../../application/stock-allocation.port.js';
import { availableOf } from '../../domain/inventory.rules.js';

/**
 * The default allocation (docs/product/spec.md: prefer a single warehouse that can ship the whole order, else split):
 * 1. the warehouses that can ship every line alone; among them the one with the most sellable units
 *    of the order's SKUs, ties broken by warehouse code — so the choice is deterministic;
 * 2. otherwise a greedy split over as few warehouses as it finds: take the warehouse that covers the
 *    most of what is still missing (ties by code), allocate what it has, repeat.
 */
export class DefaultStockAllocation implements StockAllocation {
  allocate({ lines, warehouses, stock }: AllocationRequest) {
    const avail = new Map<string, number>();
    const key = (sku: string, warehouseId: string) => `${warehouseId}\u0000${sku}`;
    for (const s of stock) avail.set(key(s.sku, s.warehouseId), Math.max(0, availableOf(s)));
    const at = (sku: string, warehouseId: string) => avail.get(key(sku, warehouseId)) ?? 0;
    const byCode = [...warehouses].sort((a, b) => (a.code < b.code ? -1 : a.code > b.code ? 1 : 0));

    const whole = byCode
      .filter((w) => lines.every((l) => at(l.sku, w.id) >= l.quantity))
      .map((w) => ({ w, units: lines.reduce((sum, l) => sum + at(l.sku, w.id), 0) }));
    if (whole.length > 0) {
      // stable sort keeps code order among equals
      const best = whole.sort((a, b) => b.units - a.units)[0]!.w;
      return lines.map((l) => ({ sku: l.sku, warehouseId: best.id, quantity: l.quantity }));
    }

    const missing = new Map(lines.map((l) => [l.sku, l.quantity]));
    const result: { sku: string; warehouseId: string; quantity: number }[] = [];
    const unused = [...byCode];
    while ([...missing.values()].some((q) => q > 0) && unused.length > 0) {
      const cover = (warehouseId: string) =>
        [...missing].reduce((sum, [sku, q]) => sum + Math.min(q, at(sku, warehouseId)), 0);
      let bestIndex = 0;
      for (let i = 1; i < unused.length; i++) {
        if (cover(unused[i]!.id) > cover(unused[bestIndex]!.id)) bestIndex = i;
      }
      const [w] = unused.splice(bestIndex, 1);
      if (cover(w!.id) === 0) break;
      for (const [sku, q] of missing) {
        const take = Math.min(q, at(sku, w!.id));
        if (take > 0) {
          result.push({ sku, warehouseId: w!.id, quantity: take });
          missing.set(sku, q - take);
        }
      }
    }
    return result;
  }
}
