import { DefaultStockAllocation } from '../../../src/inventory/adapters/allocation/default.stock-allocation.js';
import { AvailabilityCache } from '../../../src/inventory/application/availability.cache.js';
import type { InventoryDeps } from '../../../src/inventory/application/inventory.deps.js';
import type {
  AllocatedQuantity,
  InventoryRepos,
  InventoryStore,
  ReservationHeader,
} from '../../../src/inventory/application/inventory.repositories.js';
import { InventoryEvents } from '../../../src/inventory/application/inventory-event.mapper.js';
import { ListWarehouses } from '../../../src/inventory/application/list-warehouses.query.js';
import type { StockAllocation } from '../../../src/inventory/application/stock-allocation.port.js';
import type { Movement, StockLevel, Warehouse } from '../../../src/inventory/domain/inventory.rules.js';
import type { ReservationStatus } from '../../../src/inventory/domain/reservation.lifecycle.js';
import { CacheAside } from '../../../src/platform/cache/cache-aside.js';
import { MemoryCache } from '../../../src/platform/cache/memory-cache.js';
import { ManualClock } from '../../../src/platform/clock.js';
import { BackgroundWork } from '../../../src/platform/db/background-work.js';
import { newId } from '../../../src/platform/ids.js';
import { InMemoryUnitOfWork } from '../in-memory-unit-of-work.js';

interface StoredReservation extends ReservationHeader {
  createdAt: Date;
  releasedAt: Date | null;
  releaseReason: string | null;
}

interface StoredLine extends AllocatedQuantity {
  orderId: string;
  shippedAt: Date | null;
}

const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
const key = (sku: string, warehouseId: string) => `${sku}\u0000${warehouseId}`;

/**
 * InventoryStore in memory, for use-case unit tests: the same answers as the SQL store
 * (adapters/persistence/typeorm-inventory.store.ts), its guards included (a guarded update that would
 * break `0 ≤ reserved ≤ on hand` writes nothing), and the table's CHECK as an exception. Locks are
 * no-ops (one test, one caller). Everything it holds is public for the tests to look at.
 */
export class InMemoryInventoryStore implements InventoryStore {
  readonly warehouses: (Warehouse & { region: string })[] = [];
  readonly stock = new Map<string, StockLevel>();
  readonly ledger: (Movement & { seq: string })[] = [];
  readonly reservations = new Map<string, StoredReservation>();
  readonly lines: StoredLine[] = [];
  /** the receipts of returns, by return id (the idempotency anchor of `recordReturnReceipt`) */
  readonly returnReceipts = new Map<string, { warehouseId: string; receivedAt: Date }>();
  /** how many times ensureWarehouses ran (the warehouses are remembered after the first) */
  ensureCalls = 0;
  /** make the next ensureWarehouses fail (a database outage) */
  failNextEnsure = false;

  async ensureWarehouses(region: string, presets: readonly { code: string; name: string }[]) {
    this.ensureCalls += 1;
    if (this.failNextEnsure) {
      this.failNextEnsure = false;
      throw new Error('database unavailable');
    }
    for (const p of presets) {
      const found = this.warehouses.find((w) => w.region === region && w.code === p.code);
      if (found) found.name = p.name;
      else this.warehouses.push({ id: newId(), region, code: p.code, name: p.name });
    }
    return this.findWarehouses(
      region,
      presets.map((p) => p.code),
    );
  }

  async findWarehouses(region: string, codes: readonly string[]) {
    return this.warehouses
      .filter((w) => w.region === region && codes.includes(w.code))
      .sort((a, b) => cmp(a.code, b.code))
      .map(({ id, code, name }) => ({ id, code, name }));
  }

  async levels(skus: readonly string[], warehouseIds: readonly string[]) {
    return [...this.stock.values()]
      .filter((l) => skus.includes(l.sku) && warehouseIds.includes(l.warehouseId))
      .sort((a, b) => cmp(a.sku, b.sku) || cmp(a.warehouseId, b.warehouseId))
      .map((l) => ({ ...l }));
  }

  async available(skus: readonly string[], warehouseIds: readonly string[]) {
    const result = new Map<string, number>();
    for (const l of await this.levels(skus, warehouseIds)) {
      result.set(l.sku, (result.get(l.sku) ?? 0) + l.onHand - l.reserved);
    }
    return result;
  }

  lockLevels(skus: readonly string[], warehouseIds: readonly string[]) {
    return this.levels(skus, warehouseIds);
  }

  private write(level: StockLevel): StockLevel {
    if (level.reserved < 0 || level.reserved > level.onHand) {
      throw new Error(`inventory_stock CHECK violated for ${level.sku}: ${level.onHand}/${level.reserved}`);
    }
    this.stock.set(key(level.sku, level.warehouseId), level);
    return { ...level };
  }

  private guarded(
    lines: readonly AllocatedQuantity[],
    guard: (row: StockLevel, q: number) => boolean,
    change: (row: StockLevel, q: number) => Omit<StockLevel, 'sku' | 'warehouseId'>,
  ): StockLevel[] {
    const written: StockLevel[] = [];
    for (const l of lines) {
      const row = this.stock.get(key(l.sku, l.warehouseId));
      if (!row || !guard(row, l.quantity)) continue;
      written.push(this.write({ sku: row.sku, warehouseId: row.warehouseId, ...change(row, l.quantity) }));
    }
    return written;
  }

  async addReserved(lines: readonly AllocatedQuantity[]) {
    return this.guarded(
      lines,
      (r, q) => r.onHand - r.reserved >= q,
      (r, q) => ({ onHand: r.onHand, reserved: r.reserved + q }),
    );
  }

  async subtractReserved(lines: readonly AllocatedQuantity[]) {
    return this.guarded(
      lines,
      () => true,
      (r, q) => ({ onHand: r.onHand, reserved: r.reserved - q }),
    );
  }

  async adjust(sku: string, warehouseId: string, delta: number) {
    const row = this.stock.get(key(sku, warehouseId));
    if (!row) return delta > 0 ? this.write({ sku, warehouseId, onHand: delta, reserved: 0 }) : null;
    const onHand = row.onHand + delta;
    if (onHand < row.reserved || onHand < 0) return null;
    return this.write({ ...row, onHand });
  }

  async appendMovements(movements: readonly Movement[]) {
    for (const m of movements) this.ledger.push({ ...m, seq: String(this.ledger.length + 1) });
  }

  async recordReturnReceipt(returnId: string, warehouseId: string, now: Date) {
    if (this.returnReceipts.has(returnId)) return false;
    this.returnReceipts.set(returnId, { warehouseId, receivedAt: now });
    return true;
  }

  async returnMovements(returnId: string) {
    return this.ledger.filter((m) => m.returnId === returnId).map((m) => ({ ...m }));
  }

  async movements(sku: string, limit: number, beforeSeq: string | null) {
    return this.ledger
      .filter((m) => m.sku === sku && (beforeSeq === null || Number(m.seq) < Number(beforeSeq)))
      .sort((a, b) => Number(b.seq) - Number(a.seq))
      .slice(0, limit);
  }

  async findReservation(orderId: string) {
    const r = this.reservations.get(orderId);
    return r ? { orderId: r.orderId, status: r.status, expiresAt: r.expiresAt } : null;
  }

  lockReservation(orderId: string) {
    return this.findReservation(orderId);
  }

  async reservationLines(orderId: string, which: 'all' | 'unshipped' = 'all') {
    return this.lines
      .filter((l) => l.orderId === orderId && (which === 'all' || l.shippedAt === null))
      .sort((a, b) => cmp(a.sku, b.sku) || cmp(a.warehouseId, b.warehouseId))
      .map((l) => ({ sku: l.sku, warehouseId: l.warehouseId, quantity: l.quantity }));
  }

  async consumeReserved(lines: readonly AllocatedQuantity[]) {
    return this.guarded(
      lines,
      (r, q) => r.reserved >= q,
      (r, q) => ({ onHand: r.onHand - q, reserved: r.reserved - q }),
    );
  }

  async markLinesShipped(orderId: string, warehouseId: string, now: Date) {
    for (const l of this.lines) {
      if (l.orderId === orderId && l.warehouseId === warehouseId && l.shippedAt === null) l.shippedAt = now;
    }
  }

  async insertReservation(orderId: string, status: ReservationStatus, expiresAt: Date, now: Date) {
    if (this.reservations.has(orderId)) return false;
    this.reservations.set(orderId, {
      orderId,
      status,
      expiresAt,
      createdAt: now,
      releasedAt: null,
      releaseReason: null,
    });
    return true;
  }

  async renewReservation(orderId: string, status: ReservationStatus, expiresAt: Date) {
    for (let i = this.lines.length - 1; i >= 0; i--)
      if (this.lines[i]?.orderId === orderId) this.lines.splice(i, 1);
    const r = this.reservations.get(orderId);
    if (r) Object.assign(r, { status, expiresAt, releasedAt: null, releaseReason: null });
  }

  async insertReservationLines(orderId: string, lines: readonly AllocatedQuantity[]) {
    for (const l of lines) {
      if (
        this.lines.some((x) => x.orderId === orderId && x.sku === l.sku && x.warehouseId === l.warehouseId)
      ) {
        throw new Error(`duplicate reservation line ${orderId} ${l.sku} ${l.warehouseId}`);
      }
      this.lines.push({ orderId, ...l, shippedAt: null });
    }
  }

  async lockExpired(now: Date, limit: number) {
    return [...this.reservations.values()]
      .filter((r) => r.status === 'reserved' && r.expiresAt.getTime() <= now.getTime())
      .sort((a, b) => a.expiresAt.getTime() - b.expiresAt.getTime())
      .slice(0, limit)
      .map((r) => ({ orderId: r.orderId, status: r.status, expiresAt: r.expiresAt }));
  }

  async setReservationStatus(
    orderIds: readonly string[],
    status: ReservationStatus,
    release?: { reason: string; at: Date },
  ) {
    for (const id of orderIds) {
      const r = this.reservations.get(id);
      if (!r) continue;
      r.status = status;
      if (release) {
        r.releasedAt = release.at;
        r.releaseReason = release.reason;
      }
    }
  }

  /** Test helper: the stock row of a SKU in a warehouse (zeros when there is none). */
  level(sku: string, warehouseId: string): { onHand: number; reserved: number } {
    const row = this.stock.get(key(sku, warehouseId));
    return { onHand: row?.onHand ?? 0, reserved: row?.reserved ?? 0 };
  }
}

export const TEST_REGION = {
  code: 'eu',
  warehouses: [
    { code: 'FRA', name: 'Frankfurt' },
    { code: 'DUB', name: 'Dublin' },
  ],
} as const;

/**
 * The inventory use cases' deps over memory: an InMemoryInventoryStore, InMemoryUnitOfWork (events in
 * `uow.events`), a ManualClock, the default allocation policy, every well-formed SKU known unless
 * `knownSkus` says otherwise, and — with `cache: true` — a memory availability cache on the clock.
 */
export const inMemoryInventory = (
  opts: {
    clock?: ManualClock;
    reservationTtlSeconds?: number;
    allocation?: StockAllocation;
    knownSkus?: readonly string[];
    cache?: boolean;
  } = {},
) => {
  const clock = opts.clock ?? new ManualClock('2026-03-01T12:00:00Z');
  const store = new InMemoryInventoryStore();
  const repos: InventoryRepos = { store };
  const uow = new InMemoryUnitOfWork<InventoryRepos>(repos);
  const read = new InMemoryUnitOfWork<InventoryRepos>(repos);
  const memory = new MemoryCache(1000, clock);
  const errors: object[] = [];
  const deps: InventoryDeps = {
    uow,
    read,
    clock,
    region: { code: TEST_REGION.code, warehouses: TEST_REGION.warehouses },
    events: new InventoryEvents(TEST_REGION.code, clock),
    allocation: opts.allocation ?? new DefaultStockAllocation(),
    skuDirectory: () => ({
      exists: async (sku) => (opts.knownSkus ? opts.knownSkus.includes(sku) : true),
    }),
    reservationTtlSeconds: opts.reservationTtlSeconds ?? 900,
    availabilityCache: new AvailabilityCache(
      TEST_REGION.code,
      opts.cache ? new CacheAside<number>({ cache: memory, name: 'inventory_availability' }) : undefined,
      5,
    ),
    logger: { info: () => {}, warn: () => {}, error: (obj) => errors.push(obj) },
  };
  const warehouses = new ListWarehouses(deps);
  const warehouse = async (code: string): Promise<Warehouse> => {
    const w = (await warehouses.execute()).find((x) => x.code === code);
    if (!w) throw new Error(`no warehouse ${code}`);
    return w;
  };
  /** Puts units on hand directly (no ledger, no event): the state a test starts from. */
  const stockUp = async (sku: string, units: Record<string, number>) => {
    for (const [code, n] of Object.entries(units)) {
      const w = await warehouse(code);
      const row = store.level(sku, w.id);
      store.stock.set(key(sku, w.id), {
        sku,
        warehouseId: w.id,
        onHand: row.onHand + n,
        reserved: row.reserved,
      });
    }
  };
  return {
    deps,
    store,
    uow,
    clock,
    memory,
    warehouses,
    warehouse,
    stockUp,
    errors,
    background: new BackgroundWork(),
  };
};
