import { BackgroundWork } from '../../platform/db/background-work.js';
import { readWithin, type TransactionHandle, type UnitOfWorkScope } from '../../platform/db/unit-of-work.js';
import { ConflictError, NotFoundError, ValidationError } from '../../platform/errors.js';
import { isUuid, newId } from '../../platform/ids.js';
import type { AllocatedLine, ReservationLine, ReservationResult } from '../contract.js';
import {
  assertAdjustment,
  availableOf,
  isSku,
  type Movement,
  normalizeLines,
  StockBelowReservedError,
  type StockLevel,
  type Warehouse,
} from '../domain/inventory.rules.js';
import type { InventoryDeps } from './inventory.deps.js';
import type { AllocatedQuantity, InventoryRepos, InventoryStore } from './inventory.repositories.js';
import { InventoryEvents } from './inventory-event.mapper.js';

type Scope = UnitOfWorkScope<InventoryRepos>;

export interface StockView {
  sku: string;
  warehouses: { warehouseId: string; code: string; onHand: number; reserved: number; available: number }[];
  totalAvailable: number;
}

export interface ReleasedReservation {
  orderId: string;
  lines: AllocatedLine[];
}

const SYSTEM = 'system';
const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
const byRow = (a: AllocatedQuantity, b: AllocatedQuantity) =>
  cmp(a.sku, b.sku) || cmp(a.warehouseId, b.warehouseId);

/**
 * The inventory use cases: warehouses of the region, stock adjustments with their ledger, reservations
 * per order (reserve all-or-nothing, release, confirm, expire) and availability.
 */
export class InventoryUseCases {
  private readonly events: InventoryEvents;
  private warehouseList: Promise<Warehouse[]> | null = null;
  /** failure events written after the caller's transaction (see reserve) */
  private readonly background = new BackgroundWork();

  constructor(private readonly deps: InventoryDeps) {
    this.events = new InventoryEvents(deps.region.code, deps.clock);
  }

  // ---- warehouses ---------------------------------------------------------------------------

  /**
   * The region's warehouses, created from the region preset on first use (idempotent, race-safe) and
   * then remembered. Asked inside the caller's transaction `tx` before they are remembered, they are
   * read (or created) on that connection and remembered only once that read finds all of them
   * committed — a rolled-back creation must not be remembered.
   */
  async warehouses(tx?: TransactionHandle): Promise<Warehouse[]> {
    if (!this.warehouseList && tx) {
      const { code, warehouses } = this.deps.region;
      const codes = warehouses.map((w) => w.code);
      const found = await this.deps.read.join(tx, ({ repos }) => repos.store.findWarehouses(code, codes));
      const list = [...found].sort((a, b) => cmp(a.code, b.code));
      if (list.length === codes.length) {
        this.warehouseList ??= Promise.resolve(list);
        return list;
      }
      return [
        ...(await this.deps.uow.join(tx, ({ repos }) => repos.store.ensureWarehouses(code, warehouses))),
      ].sort((a, b) => cmp(a.code, b.code));
    }
    if (!this.warehouseList) {
      const { code, warehouses } = this.deps.region;
      this.warehouseList = this.deps.uow
        .run(({ repos }) => repos.store.ensureWarehouses(code, warehouses))
        .then((list) => [...list].sort((a, b) => cmp(a.code, b.code)));
      this.warehouseList.catch(() => {
        this.warehouseList = null; // try again on the next call
      });
    }
    return this.warehouseList;
  }

  // ---- stock and ledger ---------------------------------------------------------------------

  /**
   * Changes on hand of a SKU in a warehouse of this region, with its ledger row and StockAdjusted.
   * A SKU the catalog does not know → 404.
   */
  async adjust(
    input: { sku: string; warehouseId: string; delta: number; reason: string },
    actor: string,
  ): Promise<Movement> {
    assertAdjustment(input);
    const warehouse = (await this.warehouses()).find((w) => w.id === input.warehouseId);
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
        onHandAfter: level.onHand,
        reservedAfter: level.reserved,
        createdAt: now,
      };
      await store.appendMovements([m]);
      emit(
        this.events.stockAdjusted({
          sku: input.sku,
          warehouseId: warehouse.id,
          delta: input.delta,
          onHand: level.onHand,
          reason,
        }),
      );
      afterCommit(() => this.invalidate([input.sku]));
      return m;
    });
  }

  /** Same, by warehouse code, as `system` (the demo seeder, after it created the products). Unknown code → 404. */
  async adjustByCode(sku: string, warehouseCode: string, delta: number, reason: string): Promise<Movement> {
    const warehouse = (await this.warehouses()).find((w) => w.code === warehouseCode);
    if (!warehouse) throw new NotFoundError(`Warehouse ${warehouseCode}`);
    return this.adjust({ sku, warehouseId: warehouse.id, delta, reason }, SYSTEM);
  }

  /**
   * Stock of a SKU in every warehouse of the region (zeros where it has none). A SKU the catalog does
   * not know (in any status) → 404, as for an adjustment and for a price.
   */
  async stockOf(sku: string): Promise<StockView> {
    // asked before reading: a use case never waits for a second pooled connection while it holds one
    if (!(await this.deps.skuDirectory().exists(sku))) throw new NotFoundError(`SKU ${sku}`);
    const warehouses = await this.warehouses();
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

  /** The ledger of a SKU, newest first. */
  async movements(
    sku: string,
    limit: number,
    beforeSeq: string | null,
  ): Promise<{ items: Movement[]; next: string | null }> {
    const rows = await this.deps.read.run(({ repos }) => repos.store.movements(sku, limit + 1, beforeSeq));
    const items = rows.slice(0, limit);
    return {
      items,
      next: rows.length > limit ? (items[items.length - 1]?.seq ?? null) : null,
    };
  }

  // ---- availability -------------------------------------------------------------------------

  /**
   * Sellable units per SKU in the region (0 for unknown SKUs). `fresh` reads Postgres; otherwise the
   * short-lived per-SKU cache may answer (stale by at most the cache TTL, see docs/inventory.md).
   */
  async availability(
    skus: readonly string[],
    opts: { fresh?: boolean; tx?: TransactionHandle } = {},
  ): Promise<Map<string, number>> {
    const result = new Map<string, number>(skus.map((s) => [s, 0]));
    const wanted = [...new Set(skus)].filter(isSku);
    if (wanted.length === 0) return result;
    const cache = this.deps.availabilityCache;
    let missing = wanted;
    if (cache && !opts.fresh) {
      const cached = await cache.getMany(wanted.map((s) => this.cacheKey(s)));
      missing = [];
      wanted.forEach((s, i) => {
        const v = cached[i];
        if (v === undefined || !Number.isInteger(v)) missing.push(s);
        else result.set(s, v);
      });
      if (missing.length === 0) return result;
    }
    const ids = (await this.warehouses(opts.tx)).map((w) => w.id);
    const loaded = await readWithin(this.deps.read, opts.tx, ({ repos }) =>
      repos.store.available(missing, ids),
    );
    for (const s of missing) result.set(s, loaded.get(s) ?? 0);
    if (cache) {
      const ttl = this.deps.availabilityTtlSeconds;
      await cache.setMany(
        missing.map((s) => ({ key: this.cacheKey(s), value: result.get(s) ?? 0 })),
        ttl,
      );
    }
    return result;
  }

  private cacheKey(sku: string): string {
    return `inventory:available:${this.deps.region.code}:${sku}`;
  }

  private async invalidate(skus: readonly string[]): Promise<void> {
    const cache = this.deps.availabilityCache;
    if (cache && skus.length > 0) await cache.del(...[...new Set(skus)].map((s) => this.cacheKey(s)));
  }

  // ---- reservations -------------------------------------------------------------------------

  /**
   * Reserves every line of the order or none. Locks the stock rows of the requested SKUs in the
   * region's warehouses in (sku, warehouse id) order, allocates with the StockAllocation policy,
   * and applies guarded increments of `reserved` (ADR 0011). Idempotent per order: an order that
   * holds a reservation gets it back unchanged. Runs inside `tx` when given.
   */
  async reserve(
    orderId: string,
    rawLines: readonly ReservationLine[],
    tx?: TransactionHandle,
  ): Promise<ReservationResult> {
    if (!isUuid(orderId)) {
      throw new ValidationError('The order id is invalid', [{ path: 'orderId', message: 'must be a UUID' }]);
    }
    const lines = normalizeLines(rawLines);
    const warehouses = await this.warehouses(tx);
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
        // in our own transaction the failure is recorded with it; in the caller's see below
        if (!tx) scope.emit(this.events.reservationFailed(orderId, shortSkus));
        return { ok: false, orderId, shortSkus };
      }

      const allocation = this.checkedAllocation(lines, warehouses, levels);
      const now = this.deps.clock.now();
      const expiresAt = new Date(now.getTime() + this.deps.reservationTtlSeconds * 1000);
      if (!(await store.insertReservation(orderId, expiresAt, now))) {
        // a concurrent reserve of the same order committed first, or it was released before
        const header = await store.lockReservation(orderId);
        if (header && header.status !== 'released') return this.held(store, orderId, header.expiresAt);
        await store.renewReservation(orderId, expiresAt);
      }
      const written = await store.addReserved(allocation, now);
      if (written.length !== allocation.length) {
        // cannot happen while the rows are locked; never write a partial reservation
        throw new Error(`reservation guard refused a locked stock row for order ${orderId}`);
      }
      await store.insertReservationLines(orderId, allocation);
      await store.appendMovements(
        this.movementsOf('reservation', orderId, 'reserved', allocation, written, now, +1),
      );
      scope.emit(this.events.reserved(orderId, allocation));
      created = true;
      return { ok: true, orderId, lines: allocation, expiresAt };
    };

    const result = tx ? await this.deps.uow.join(tx, work) : await this.deps.uow.run(work);
    if (created) await this.invalidate(lines.map((l) => l.sku));
    if (!result.ok && tx) this.recordFailureLater(orderId, result.shortSkus);
    return result;
  }

  /** Releases what the order still holds (idempotent); InventoryReleased carries the reason. */
  async release(orderId: string, reason: string, tx?: TransactionHandle): Promise<AllocatedLine[]> {
    if (!isUuid(orderId)) return [];
    const why = reason.trim() || 'released';
    const work = async (scope: Scope): Promise<AllocatedLine[]> => {
      const header = await scope.repos.store.lockReservation(orderId);
      if (!header || header.status === 'released' || header.status === 'shipped') return [];
      const [released] = await this.releaseLocked(scope, [orderId], why);
      return released?.lines ?? [];
    };
    const lines = tx ? await this.deps.uow.join(tx, work) : await this.deps.uow.run(work);
    await this.invalidate(lines.map((l) => l.sku));
    return lines;
  }

  /** The order was paid: its reservation no longer expires (it holds until released or shipped). */
  async confirm(orderId: string, tx?: TransactionHandle): Promise<boolean> {
    if (!isUuid(orderId)) return false;
    const work = (scope: Scope) => scope.repos.store.confirm(orderId);
    return tx ? this.deps.uow.join(tx, work) : this.deps.uow.run(work);
  }

  /**
   * What the order's reservation allocated, warehouse by warehouse (fulfilment makes one shipment per
   * warehouse of it); empty when the order holds no reservation or it was released. Reads on `tx`.
   */
  async allocationOf(orderId: string, tx?: TransactionHandle): Promise<AllocatedLine[]> {
    if (!isUuid(orderId)) return [];
    return readWithin(this.deps.read, tx, async ({ repos: { store } }) => {
      const header = await store.findReservation(orderId);
      if (!header || header.status === 'released') return [];
      return (await store.reservationLines(orderId)).sort(byRow);
    });
  }

  /**
   * A shipment of the order left `warehouseId` (fulfilment dispatched it): the order's reserved units
   * there are taken off on hand and reserved, with a `shipment` movement per line and `StockAdjusted`
   * (negative delta, reason `shipment`). Idempotent: lines that shipped already are skipped, so a
   * redelivered dispatch changes nothing. An order that holds no reservation, or whose reservation was
   * released, cannot ship (409: the caller retries, then parks the event for a human).
   */
  async ship(orderId: string, warehouseId: string, tx?: TransactionHandle): Promise<AllocatedLine[]> {
    const work = async (scope: Scope): Promise<AllocatedLine[]> => {
      const { store } = scope.repos;
      const header = await store.lockReservation(orderId);
      if (!header || header.status === 'released') {
        throw new ConflictError(`Order ${orderId} holds no reservation to ship from`);
      }
      const lines = (await store.reservationLines(orderId, 'unshipped'))
        .filter((l) => l.warehouseId === warehouseId)
        .sort(byRow);
      if (lines.length === 0) return [];
      await store.lockLevels(
        lines.map((l) => l.sku),
        [warehouseId],
      );
      const now = this.deps.clock.now();
      const written = await store.consumeReserved(lines, now);
      if (written.length !== lines.length) {
        // the reservation's units are counted in reserved; a row without them is corrupt, never half-ship
        throw new Error(`stock rows of order ${orderId} in ${warehouseId} do not hold its reserved units`);
      }
      await store.appendMovements(this.movementsOf('shipment', orderId, 'shipment', lines, written, now, -1));
      await store.markShipped(orderId, warehouseId, now);
      for (const level of written) {
        const { quantity } = lines.find((l) => l.sku === level.sku)!;
        scope.emit(
          this.events.stockAdjusted({
            sku: level.sku,
            warehouseId,
            delta: -quantity,
            onHand: level.onHand,
            reason: 'shipment',
          }),
        );
      }
      return lines;
    };
    // available (on hand − reserved) does not change: the browsing cache stays right
    return tx ? this.deps.uow.join(tx, work) : this.deps.uow.run(work);
  }

  /**
   * Releases up to `limit` reservations that expired (reason `expired`) in one transaction; safe with
   * several sweepers (SKIP LOCKED). Returns what it released.
   */
  async sweepExpired(limit = 100): Promise<ReleasedReservation[]> {
    const released = await this.deps.uow.run(async (scope) => {
      const orderIds = await scope.repos.store.lockExpired(this.deps.clock.now(), limit);
      if (orderIds.length === 0) return [];
      return this.releaseLocked(scope, orderIds, 'expired');
    });
    await this.invalidate(released.flatMap((r) => r.lines.map((l) => l.sku)));
    return released;
  }

  /** Waits for failure events still being written (shutdown, tests). */
  async drain(): Promise<void> {
    await this.background.drain();
  }

  /** Releases reservations whose headers this transaction has locked. */
  private async releaseLocked(scope: Scope, orderIds: readonly string[], reason: string) {
    const { store } = scope.repos;
    const linesByOrder = new Map<string, AllocatedQuantity[]>();
    // what already left a warehouse (a dispatched shipment) is not held any more, so not released
    for (const id of orderIds) linesByOrder.set(id, await store.reservationLines(id, 'unshipped'));
    const all = [...linesByOrder.values()].flat();
    // every stock row any of them touches, locked once, in the one stable order
    await store.lockLevels([...new Set(all.map((l) => l.sku))], [...new Set(all.map((l) => l.warehouseId))]);
    const now = this.deps.clock.now();
    const result: ReleasedReservation[] = [];
    for (const [orderId, lines] of linesByOrder) {
      const sorted = [...lines].sort(byRow);
      const written = sorted.length > 0 ? await store.subtractReserved(sorted, now) : [];
      await store.appendMovements(this.movementsOf('release', orderId, reason, sorted, written, now, -1));
      scope.emit(this.events.released(orderId, sorted, reason));
      result.push({ orderId, lines: sorted });
    }
    await store.markReleased(orderIds, reason, now);
    return result;
  }

  private async held(store: InventoryStore, orderId: string, expiresAt: Date): Promise<ReservationResult> {
    const lines = (await store.reservationLines(orderId)).sort(byRow);
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
    const allocation = [...merged.values()].sort(byRow);
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
   * One ledger row per line, from the rows as written: reserved changes by `sign` × quantity, and on
   * hand too for a shipment (the units left the warehouse).
   */
  private movementsOf(
    kind: 'reservation' | 'release' | 'shipment',
    orderId: string,
    reason: string,
    lines: readonly AllocatedQuantity[],
    written: readonly StockLevel[],
    now: Date,
    sign: 1 | -1,
  ): Movement[] {
    return lines.map((l) => {
      const after = written.find((w) => w.sku === l.sku && w.warehouseId === l.warehouseId);
      if (!after) throw new Error(`no stock row written for ${l.sku} in ${l.warehouseId}`);
      return {
        id: newId(),
        sku: l.sku,
        warehouseId: l.warehouseId,
        kind,
        delta: kind === 'shipment' ? sign * l.quantity : 0,
        reservedDelta: sign * l.quantity,
        reason,
        actor: SYSTEM,
        orderId,
        onHandAfter: after.onHand,
        reservedAfter: after.reserved,
        createdAt: now,
      };
    });
  }

  /**
   * A failed reservation inside the caller's transaction: the checkout will roll that transaction
   * back, which would take the event with it. The failure is a fact whatever the caller does next, so
   * it is written in a short transaction of its own once this call has returned — not awaited, so a
   * caller holding a pooled connection never waits for a second one (ADR 0011).
   */
  private recordFailureLater(orderId: string, shortSkus: string[]): void {
    // fire and forget: the caller does not wait for it, so it is not a checkout made while holding one
    this.background.start(
      () =>
        this.deps.uow.run(async ({ emit }) => {
          emit(this.events.reservationFailed(orderId, shortSkus));
        }),
      (err) =>
        this.deps.logger?.error(
          { orderId, shortSkus, err: err instanceof Error ? err.message : String(err) },
          'could not record InventoryReservationFailed',
        ),
    );
  }
}
