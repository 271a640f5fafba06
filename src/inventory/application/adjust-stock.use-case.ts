import { NotFoundError, ValidationError } from '../../platform/errors.js';
import { newId } from '../../platform/ids.js';
import { assertAdjustment, type Movement, StockBelowReservedError } from '../domain/inventory.rules.js';
import type { InventoryDeps } from './inventory.deps.js';
import type { ListWarehouses } from './list-warehouses.query.js';

export interface StockAdjustment {
  sku: string;
  warehouseId: string;
  delta: number;
  reason: string;
}

/**
 * Changes on hand of a SKU in a warehouse of this region, with its ledger row and StockAdjusted.
 * A warehouse of another region → 400; a SKU the catalog does not know → 404; on hand below reserved
 * (or 0) → 409.
 */
export class AdjustStock {
  constructor(
    private readonly deps: InventoryDeps,
    private readonly warehouses: ListWarehouses,
  ) {}

  async execute(input: StockAdjustment, actor: string): Promise<Movement> {
    assertAdjustment(input);
    const warehouse = (await this.warehouses.execute()).find((w) => w.id === input.warehouseId);
    if (!warehouse) {
      throw new ValidationError('The adjustment is invalid', [
        { path: 'warehouseId', message: 'is not a warehouse of this region' },
      ]);
    }
    // asked before the transaction: a use case never waits for a second pooled connection while it holds one
    if (!(await this.deps.skuDirectory().exists(input.sku))) throw new NotFoundError(`SKU ${input.sku}`);
    const reason = input.reason.trim();
    return this.deps.uow.run(async ({ repos: { store }, emit, afterCommit }) => {
      const now = this.deps.clock.now();
      const level = await store.adjust(input.sku, warehouse.id, input.delta, now);
      if (!level) throw new StockBelowReservedError(input.sku, warehouse.code);
      const m: Movement = {
        id: newId(),
        sku: input.sku,
        warehouseId: warehouse.id,
        kind: 'adjustment',
        delta: input.delta,
        reservedDelta: 0,
        reason,
        actor,
        orderId: null,
        returnId: null,
        onHandAfter: level.onHand,
        reservedAfter: level.reserved,
        createdAt: now,
      };
      await store.appendMovements([m]);
      emit(
        this.deps.events.stockAdjusted({
          sku: input.sku,
          warehouseId: warehouse.id,
          delta: input.delta,
          onHand: level.onHand,
          reason,
        }),
      );
      afterCommit(() => this.deps.availabilityCache.invalidate([input.sku]));
      return m;
    });
  }
}
