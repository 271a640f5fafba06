import { NotFoundError } from '../../platform/errors.js';
import { type Movement, SYSTEM_ACTOR } from '../domain/inventory.rules.js';
import type { AdjustStock } from './adjust-stock.use-case.js';
import type { ListWarehouses } from './list-warehouses.query.js';

/**
 * An adjustment by warehouse code, as `system` (the demo seeder, after it created the products): the
 * same rules, ledger and event as {@link AdjustStock}. An unknown code → 404.
 */
export class AdjustStockByCode {
  constructor(
    private readonly warehouses: ListWarehouses,
    private readonly adjust: AdjustStock,
  ) {}

  async execute(sku: string, warehouseCode: string, delta: number, reason: string): Promise<Movement> {
    const warehouse = (await this.warehouses.execute()).find((w) => w.code === warehouseCode);
    if (!warehouse) throw new NotFoundError(`Warehouse ${warehouseCode}`);
    return this.adjust.execute({ sku, warehouseId: warehouse.id, delta, reason }, SYSTEM_ACTOR);
  }
}
