import { ConflictError, type FieldError, ValidationError } from '../../platform/errors.js';
import { newId } from '../../platform/ids.js';

/** A SKU as every context spells it: 1–64 letters, digits, ".", "_" or "-", starting with a letter or digit. */
export const SKU_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;
export const isSku = (value: string): boolean => SKU_PATTERN.test(value);

/** The largest change one adjustment may make, either way. */
export const MAX_ADJUSTMENT = 1_000_000;
export const MAX_REASON_LENGTH = 200;
/** The largest quantity of one SKU one order may reserve. */
export const MAX_RESERVATION_QUANTITY = 1_000_000;

/** Stock of one SKU in one warehouse. `available` is what may still be promised. */
export interface StockLevel {
  sku: string;
  warehouseId: string;
  onHand: number;
  reserved: number;
}

export const availableOf = (level: Pick<StockLevel, 'onHand' | 'reserved'>): number =>
  level.onHand - level.reserved;

export interface Warehouse {
  id: string;
  code: string;
  name: string;
}

const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** Warehouses in code order (how every listing shows them). */
export const byCode = (a: Pick<Warehouse, 'code'>, b: Pick<Warehouse, 'code'>): number => cmp(a.code, b.code);

/** Rows of stock (or of an allocation) in the one stable order: SKU, then warehouse id — the lock order. */
export const bySkuAndWarehouse = (
  a: { sku: string; warehouseId: string },
  b: { sku: string; warehouseId: string },
): number => cmp(a.sku, b.sku) || cmp(a.warehouseId, b.warehouseId);

/** One line of the ledger: a change of on-hand (`delta`) and/or reserved (`reservedDelta`). */
export interface Movement {
  id: string;
  sku: string;
  warehouseId: string;
  /** `shipment`: units left the warehouse with a dispatched shipment (on hand and reserved both drop) */
  kind: 'adjustment' | 'reservation' | 'release' | 'shipment';
  delta: number;
  reservedDelta: number;
  reason: string;
  /** the staff user's id, or `system` */
  actor: string;
  orderId: string | null;
  onHandAfter: number;
  reservedAfter: number;
  createdAt: Date;
}

/** The actor of every movement inventory makes on its own (reservations, releases, shipments, the seeder). */
export const SYSTEM_ACTOR = 'system';

/** A quantity of a SKU allocated in one warehouse (a line of a reservation). */
export interface AllocatedQuantity {
  sku: string;
  warehouseId: string;
  quantity: number;
}

/**
 * The ledger rows of a reservation, release or shipment: one per line, from the stock rows as written.
 * Reserved changes by `sign` × quantity, and on hand too for a shipment (the units left the warehouse).
 */
export const reservationMovements = (
  kind: 'reservation' | 'release' | 'shipment',
  orderId: string,
  reason: string,
  lines: readonly AllocatedQuantity[],
  written: readonly StockLevel[],
  now: Date,
  sign: 1 | -1,
): Movement[] =>
  lines.map((l) => {
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
      actor: SYSTEM_ACTOR,
      orderId,
      onHandAfter: after.onHand,
      reservedAfter: after.reserved,
      createdAt: now,
    };
  });

/** Checks an adjustment's input, listing every offending field. */
export const assertAdjustment = (input: { sku: string; delta: number; reason: string }): void => {
  const errors: FieldError[] = [];
  if (!isSku(input.sku)) errors.push({ path: 'sku', message: 'must be a SKU' });
  if (!Number.isInteger(input.delta) || input.delta === 0 || Math.abs(input.delta) > MAX_ADJUSTMENT) {
    errors.push({ path: 'delta', message: `must be a non-zero integer within ±${MAX_ADJUSTMENT}` });
  }
  const reason = input.reason.trim();
  if (reason.length === 0 || [...reason].length > MAX_REASON_LENGTH) {
    errors.push({ path: 'reason', message: `must be 1–${MAX_REASON_LENGTH} characters` });
  }
  if (errors.length > 0) throw new ValidationError('The adjustment is invalid', errors);
};

/**
 * The lines of one order, one per SKU (duplicates summed), in a stable order. Invalid lines are a
 * programming error of the caller (cart and checkout validate quantities first): 400.
 */
export const normalizeLines = (
  lines: readonly { sku: string; quantity: number }[],
): { sku: string; quantity: number }[] => {
  const errors: FieldError[] = [];
  const merged = new Map<string, number>();
  lines.forEach((line, i) => {
    if (!isSku(line.sku)) errors.push({ path: `lines.${i}.sku`, message: 'must be a SKU' });
    if (!Number.isInteger(line.quantity) || line.quantity < 1 || line.quantity > MAX_RESERVATION_QUANTITY) {
      errors.push({
        path: `lines.${i}.quantity`,
        message: `must be an integer 1–${MAX_RESERVATION_QUANTITY}`,
      });
    }
    merged.set(line.sku, (merged.get(line.sku) ?? 0) + line.quantity);
  });
  if (lines.length === 0) errors.push({ path: 'lines', message: 'must not be empty' });
  if (errors.length > 0) throw new ValidationError('The reservation lines are invalid', errors);
  return [...merged].sort(([a], [b]) => cmp(a, b)).map(([sku, quantity]) => ({ sku, quantity }));
};

/** 409 CONFLICT: the adjustment would leave less on hand than is reserved (or below zero). */
export class StockBelowReservedError extends ConflictError {
  constructor(sku: string, warehouseCode: string) {
    super(`Adjusting ${sku} in ${warehouseCode} would leave less on hand than is reserved`);
  }
}
