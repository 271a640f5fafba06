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

export const MOVEMENT_KINDS = [
  'adjustment',
  'reservation',
  'release',
  'shipment',
  'return',
  'write_off',
] as const;
export type MovementKind = (typeof MOVEMENT_KINDS)[number];

/** One line of the ledger: a change of on-hand (`delta`) and/or reserved (`reservedDelta`). */
export interface Movement {
  id: string;
  sku: string;
  warehouseId: string;
  /**
   * `shipment`: units left the warehouse with a dispatched shipment (on hand and reserved both drop);
   * `return`: units of a return came back on hand; `write_off`: damaged ones of it taken off again
   */
  kind: MovementKind;
  delta: number;
  reservedDelta: number;
  reason: string;
  /** the staff user's id, or `system` */
  actor: string;
  orderId: string | null;
  /** the return whose receipt made a `return` or `write_off` movement; null for every other kind */
  returnId: string | null;
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
      returnId: null,
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

/** How a returned unit came back: `resellable` goes back on hand, `damaged` is written off. */
export const RETURN_CONDITIONS = ['resellable', 'damaged'] as const;
export type ReturnCondition = (typeof RETURN_CONDITIONS)[number];

/** What a return's receipt brings back of one SKU, by condition. */
export interface ReceivedSku {
  sku: string;
  resellable: number;
  damaged: number;
}

/**
 * The lines of a return's receipt, one per SKU (a SKU may come in both conditions; lines of one SKU and
 * condition summed), in SKU order — the lock order. A line of 0 units says nothing came back of it and
 * is dropped. Invalid lines are a programming error of the caller (returns validates staff's input
 * first): 400 listing every offending field.
 */
export const normalizeReceipt = (
  lines: readonly { sku: string; quantity: number; condition: string }[],
): ReceivedSku[] => {
  const errors: FieldError[] = [];
  const merged = new Map<string, ReceivedSku>();
  lines.forEach((line, i) => {
    const skuOk = isSku(line.sku);
    if (!skuOk) errors.push({ path: `lines.${i}.sku`, message: 'must be a SKU' });
    const quantityOk =
      Number.isInteger(line.quantity) && line.quantity >= 0 && line.quantity <= MAX_RESERVATION_QUANTITY;
    if (!quantityOk) {
      errors.push({
        path: `lines.${i}.quantity`,
        message: `must be an integer 0–${MAX_RESERVATION_QUANTITY}`,
      });
    }
    const condition = RETURN_CONDITIONS.find((c) => c === line.condition);
    if (!condition) {
      errors.push({
        path: `lines.${i}.condition`,
        message: `must be one of ${RETURN_CONDITIONS.join(', ')}`,
      });
    }
    if (!skuOk || !quantityOk || !condition || line.quantity === 0) return;
    const entry = merged.get(line.sku) ?? { sku: line.sku, resellable: 0, damaged: 0 };
    entry[condition] += line.quantity;
    merged.set(line.sku, entry);
  });
  if (errors.length > 0) throw new ValidationError('The returned lines are invalid', errors);
  return [...merged.values()].sort((a, b) => cmp(a.sku, b.sku));
};

/** A ledger row of a return's receipt: `return` (+units, on hand after it) or `write_off` (−units). */
export const returnMovement = (
  kind: 'return' | 'write_off',
  returnId: string,
  after: StockLevel,
  delta: number,
  now: Date,
): Movement => ({
  id: newId(),
  sku: after.sku,
  warehouseId: after.warehouseId,
  kind,
  delta,
  reservedDelta: 0,
  reason: kind,
  actor: SYSTEM_ACTOR,
  orderId: null,
  returnId,
  onHandAfter: after.onHand,
  reservedAfter: after.reserved,
  createdAt: now,
});

/** What a return's receipt did, by SKU (SKU order): units back on hand, and units written off. */
export interface ReceiptOutcome {
  restocked: { sku: string; quantity: number }[];
  writtenOff: { sku: string; quantity: number }[];
}

/**
 * The outcome of a receipt read back from its ledger rows: every `return` movement brought units in,
 * every `write_off` took damaged ones out again; what stayed is restocked. The first receipt and any
 * repeated one answer from the same rows, so they answer alike.
 */
export const receiptOutcome = (
  movements: readonly Pick<Movement, 'sku' | 'kind' | 'delta'>[],
): ReceiptOutcome => {
  const came = new Map<string, number>();
  const gone = new Map<string, number>();
  for (const m of movements) {
    if (m.kind === 'return') came.set(m.sku, (came.get(m.sku) ?? 0) + m.delta);
    else if (m.kind === 'write_off') gone.set(m.sku, (gone.get(m.sku) ?? 0) - m.delta);
  }
  const skus = [...new Set([...came.keys(), ...gone.keys()])].sort(cmp);
  const listed = (quantity: (sku: string) => number) =>
    skus.map((sku) => ({ sku, quantity: quantity(sku) })).filter((l) => l.quantity > 0);
  return {
    restocked: listed((sku) => (came.get(sku) ?? 0) - (gone.get(sku) ?? 0)),
    writtenOff: listed((sku) => gone.get(sku) ?? 0),
  };
};

/** 409 CONFLICT: the adjustment would leave less on hand than is reserved (or below zero). */
export class StockBelowReservedError extends ConflictError {
  constructor(sku: string, warehouseCode: string) {
    super(`Adjusting ${sku} in ${warehouseCode} would leave less on hand than is reserved`);
  }
}
