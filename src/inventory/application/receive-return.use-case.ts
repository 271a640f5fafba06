import type { TransactionHandle, UnitOfWorkScope } from '../../platform/db/unit-of-work.js';
import { NotFoundError, ValidationError } from '../../platform/errors.js';
import { isUuid } from '../../platform/ids.js';
import type { ReturnReceipt, ReturnReceiptResult } from '../contract.js';
import {
  type Movement,
  normalizeReceipt,
  receiptOutcome,
  returnMovement,
  type StockLevel,
} from '../domain/inventory.rules.js';
import type { InventoryDeps } from './inventory.deps.js';
import type { InventoryRepos, InventoryStore } from './inventory.repositories.js';
import type { ListWarehouses } from './list-warehouses.query.js';

/**
 * Units of a return received into a warehouse of this region, inside the caller's transaction (the
 * returns context's receipt): resellable units go back on hand (a `return` movement), damaged ones are
 * recorded as come back and written off at once (a `return` then a `write_off` movement, on hand
 * unchanged); every movement names the return, has actor `system` and its `StockAdjusted` (reason
 * `return` / `write_off`). A SKU without a stock row in the warehouse gets one.
 *
 * Idempotent per return: the receipt's anchor row is written first; a return received before (or being
 * received by a concurrent transaction, which the anchor's unique key waits for) changes nothing and
 * answers what its ledger rows record. Stock rows are locked one SKU after the other in SKU order, the
 * order every stock writer keeps (ReserveStock), so receipts and reservations never deadlock.
 *
 * A warehouse that is not one of this region's → 404 (the addressed warehouse). The SKUs are not asked
 * of the catalog, unlike an adjustment's: they are units of a delivered order that came back, which
 * inventory must count whatever the catalog holds now (a variant removed since is still on the shelf),
 * and the catalog could only be asked on a second connection while the caller holds one (ADR 0013).
 * Available changes by the restocked units: their browsing cache entries are dropped, as a reservation
 * inside a caller's transaction does (docs/inventory.md, staleness bound).
 */
export class ReceiveReturn {
  constructor(
    private readonly deps: Pick<InventoryDeps, 'uow' | 'clock' | 'events' | 'availabilityCache'>,
    private readonly warehouses: ListWarehouses,
  ) {}

  async execute(input: ReturnReceipt, tx: TransactionHandle): Promise<ReturnReceiptResult> {
    if (!isUuid(input.returnId)) {
      throw new ValidationError('The return id is invalid', [
        { path: 'returnId', message: 'must be a UUID' },
      ]);
    }
    const received = normalizeReceipt(input.lines);
    const warehouse = (await this.warehouses.execute(tx)).find((w) => w.id === input.warehouseId);
    if (!warehouse) throw new NotFoundError(`Warehouse ${input.warehouseId}`);

    let restocked = false;
    const work = async (scope: UnitOfWorkScope<InventoryRepos>): Promise<ReturnReceiptResult> => {
      restocked = false;
      const { store } = scope.repos;
      const now = this.deps.clock.now();
      if (!(await store.recordReturnReceipt(input.returnId, warehouse.id, now))) {
        return receiptOutcome(await store.returnMovements(input.returnId));
      }
      const movements: Movement[] = [];
      for (const line of received) {
        // the upsert locks (or creates) the row: one SKU after the other, in SKU order
        if (line.resellable > 0) {
          const after = await this.change(store, line.sku, warehouse.id, line.resellable, now);
          movements.push(returnMovement('return', input.returnId, after, line.resellable, now));
        }
        if (line.damaged > 0) {
          const back = await this.change(store, line.sku, warehouse.id, line.damaged, now);
          movements.push(returnMovement('return', input.returnId, back, line.damaged, now));
          const gone = await this.change(store, line.sku, warehouse.id, -line.damaged, now);
          movements.push(returnMovement('write_off', input.returnId, gone, -line.damaged, now));
        }
      }
      await store.appendMovements(movements);
      for (const m of movements) {
        scope.emit(
          this.deps.events.stockAdjusted({
            sku: m.sku,
            warehouseId: m.warehouseId,
            delta: m.delta,
            onHand: m.onHandAfter,
            reason: m.reason,
          }),
        );
      }
      restocked = true;
      return receiptOutcome(movements);
    };

    const result = await this.deps.uow.join(tx, work);
    // write-offs leave available as it was; a repeated receipt changed nothing
    if (restocked) await this.deps.availabilityCache.invalidate(result.restocked.map((r) => r.sku));
    return result;
  }

  private async change(
    store: InventoryStore,
    sku: string,
    warehouseId: string,
    delta: number,
    now: Date,
  ): Promise<StockLevel> {
    const level = await store.adjust(sku, warehouseId, delta, now);
    // a write-off takes back units this transaction just put on the locked row: the guard cannot refuse
    if (!level) throw new Error(`stock row of ${sku} in ${warehouseId} refused a return's write-off`);
    return level;
  }
}
