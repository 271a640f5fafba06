import { NotFoundError } from '../../platform/errors.js';
import { isSku } from '../domain/inventory.rules.js';
import type { InventoryDeps } from './inventory.deps.js';
import type { ListWarehouses } from './list-warehouses.query.js';

export interface StockView {
  sku: string;
  warehouses: { warehouseId: string; code: string; onHand: number; reserved: number; available: number }[];
  totalAvailable: number;
}

/**
 * Stock of a SKU in every warehouse of the region (zeros where it has none). A SKU the catalog does
 * not know (in any status) → 404, as for an adjustment and for a price.
 */
export class GetStock {
  constructor(
    private readonly deps: InventoryDeps,
    private readonly warehouses: ListWarehouses,
  ) {}

  async execute(sku: string): Promise<StockView> {
    // asked before reading: a use case never waits for a second pooled connection while it holds one
    if (!(await this.deps.skuDirectory().exists(sku))) throw new NotFoundError(`SKU ${sku}`);
    const warehouses = await this.warehouses.execute();
    const levels = isSku(sku)
      ? await this.deps.read.run(({ repos }) =>
          repos.store.levels(
            [sku],
            warehouses.map((w) => w.id),
          ),
        )
      : [];
    const rows = warehouses.map((w) => {
      const l = levels.find((x) => x.warehouseId === w.id);
      const onHand = l?.onHand ?? 0;
      const reserved = l?.reserved ?? 0;
      return { warehouseId: w.id, code: w.code, onHand, reserved, available: onHand - reserved };
    });
    return { sku, warehouses: rows, totalAvailable: rows.reduce((s, r) => s + r.available, 0) };
  }
}
