import type { BackgroundWork } from '../../platform/db/background-work.js';
import type { TransactionHandle, UnitOfWorkScope } from '../../platform/db/unit-of-work.js';
import { ValidationError } from '../../platform/errors.js';
import { isUuid } from '../../platform/ids.js';
import type { ReservationLine, ReservationResult } from '../contract.js';
import {
  type AllocatedQuantity,
  availableOf,
  bySkuAndWarehouse,
  normalizeLines,
  reservationMovements,
  type StockLevel,
  type Warehouse,
} from '../domain/inventory.rules.js';
import { INITIAL_RESERVATION_STATUS, reservationStates } from '../domain/reservation.lifecycle.js';
import type { InventoryDeps } from './inventory.deps.js';
import type { InventoryRepos, InventoryStore } from './inventory.repositories.js';
import type { ListWarehouses } from './list-warehouses.query.js';

type Scope = UnitOfWorkScope<InventoryRepos>;

/**
 * Reserves every line of the order or none. Locks the stock rows of the requested SKUs in the
 * region's warehouses in (sku, warehouse id) order, allocates with the StockAllocation policy,
 * and applies guarded increments of `reserved` (ADR 0011). Idempotent per order: an order that
 * holds a reservation gets it back unchanged; one whose reservation was released reserves afresh.
 * Runs inside `tx` when given.
 *
 * A failure is a result (`shortSkus`) and InventoryReservationFailed: in its own transaction, written
 * with it; inside the caller's, which the checkout will roll back, it is written right after in a short
 * transaction of its own on `background` (not awaited: a caller holding a pooled connection never waits
 * for a second one, ADR 0011).
 */
export class ReserveStock {
  constructor(
    private readonly deps: InventoryDeps,
    private readonly warehouses: ListWarehouses,
    private readonly background: BackgroundWork,
  ) {}

  async execute(
    orderId: string,
    rawLines: readonly ReservationLine[],
    tx?: TransactionHandle,
  ): Promise<ReservationResult> {
    if (!isUuid(orderId)) {
      throw new ValidationError('The order id is invalid', [{ path: 'orderId', message: 'must be a UUID' }]);
    }
    const lines = normalizeLines(rawLines);
    const warehouses = await this.warehouses.execute(tx);
    let created = false;
    const work = async (scope: Scope): Promise<ReservationResult> => {
      created = false;
      const { store } = scope.repos;
      const existing = await store.findReservation(orderId);
      if (existing && existing.status !== 'released') return this.held(store, orderId, existing.expiresAt);

      const levels = await store.lockLevels(
        lines.map((l) => l.sku),
        warehouses.map((w) => w.id),
      );
      const totals = new Map<string, number>();
      for (const l of levels) totals.set(l.sku, (totals.get(l.sku) ?? 0) + Math.max(0, availableOf(l)));
      const shortSkus = lines.filter((l) => (totals.get(l.sku) ?? 0) < l.quantity).map((l) => l.sku);
      if (shortSkus.length > 0) {
        // in our own transaction the failure is recorded with it; in the caller's see recordFailureLater
        if (!tx) scope.emit(this.deps.events.reservationFailed(orderId, shortSkus));
        return { ok: false, orderId, shortSkus };
      }

      const allocation = this.checkedAllocation(lines, warehouses, levels);
      const now = this.deps.clock.now();
      const expiresAt = new Date(now.getTime() + this.deps.reservationTtlSeconds * 1000);
      if (!(await store.insertReservation(orderId, INITIAL_RESERVATION_STATUS, expiresAt, now))) {
        // a concurrent reserve of the same order committed first, or it was released before
        const header = await store.lockReservation(orderId);
        if (header && header.status !== 'released') return this.held(store, orderId, header.expiresAt);
        if (header) {
          await store.renewReservation(
            orderId,
            reservationStates.transition(header.status, INITIAL_RESERVATION_STATUS),
            expiresAt,
          );
        }
      }
      const written = await store.addReserved(allocation, now);
      if (written.length !== allocation.length) {
        // cannot happen while the rows are locked; never write a partial reservation
        throw new Error(`reservation guard refused a locked stock row for order ${orderId}`);
      }
      await store.insertReservationLines(orderId, allocation);
      await store.appendMovements(
        reservationMovements('reservation', orderId, 'reserved', allocation, written, now, +1),
      );
      scope.emit(this.deps.events.reserved(orderId, allocation));
      created = true;
      return { ok: true, orderId, lines: allocation, expiresAt };
    };

    const result = tx ? await this.deps.uow.join(tx, work) : await this.deps.uow.run(work);
    if (created) await this.deps.availabilityCache.invalidate(lines.map((l) => l.sku));
    if (!result.ok && tx) this.recordFailureLater(orderId, result.shortSkus);
    return result;
  }

  private async held(store: InventoryStore, orderId: string, expiresAt: Date): Promise<ReservationResult> {
    const lines = (await store.reservationLines(orderId)).sort(bySkuAndWarehouse);
    return { ok: true, orderId, lines, expiresAt };
  }

  /** The policy's answer, refused unless it allocates exactly the order within what is available. */
  private checkedAllocation(
    lines: readonly { sku: string; quantity: number }[],
    warehouses: readonly Warehouse[],
    levels: readonly StockLevel[],
  ): AllocatedQuantity[] {
    const proposed = this.deps.allocation.allocate({ lines, warehouses, stock: levels });
    const merged = new Map<string, AllocatedQuantity>();
    for (const p of proposed) {
      if (!Number.isInteger(p.quantity) || p.quantity <= 0) continue;
      const key = `${p.sku}\u0000${p.warehouseId}`;
      const prev = merged.get(key);
      merged.set(key, {
        sku: p.sku,
        warehouseId: p.warehouseId,
        quantity: (prev?.quantity ?? 0) + p.quantity,
      });
    }
    const allocation = [...merged.values()].sort(bySkuAndWarehouse);
    for (const a of allocation) {
      const level = levels.find((l) => l.sku === a.sku && l.warehouseId === a.warehouseId);
      if (!warehouses.some((w) => w.id === a.warehouseId) || !level || availableOf(level) < a.quantity) {
        throw new Error(`stock allocation policy over-allocated ${a.sku} in ${a.warehouseId}`);
      }
    }
    for (const l of lines) {
      const total = allocation.filter((a) => a.sku === l.sku).reduce((s, a) => s + a.quantity, 0);
      if (total !== l.quantity)
        throw new Error(`stock allocation policy allocated ${total} of ${l.quantity} ${l.sku}`);
    }
    return allocation;
  }

  /**
   * A failed reservation inside the caller's transaction: the checkout will roll that transaction
   * back, which would take the event with it. The failure is a fact whatever the caller does next, so
   * it is written in a short transaction of its own once this call has returned — not awaited, so a
   * caller holding a pooled connection never waits for a second one (ADR 0011).
   */
  private recordFailureLater(orderId: string, shortSkus: string[]): void {
    this.background.start(
      () =>
        this.deps.uow.run(async ({ emit }) => {
          emit(this.deps.events.reservationFailed(orderId, shortSkus));
        }),
      (err) =>
        this.deps.logger?.error(
          { orderId, shortSkus, err: err instanceof Error ? err.message : String(err) },
          'could not record InventoryReservationFailed',
        ),
    );
  }
}
