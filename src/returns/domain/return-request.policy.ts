import type { FieldError } from '../../platform/errors.js';
import type { ReturnReason, ReturnStatus } from './return.lifecycle.js';
import { ReturnNotAllowedError, ReturnValidationError } from './returns.errors.js';

/**
 * The rules of a return request (docs/returns.md "Rules") — the one place they live; `Return.create`
 * applies them, so no return exists that breaks them:
 *
 * 1. the order is SHIPPED or DELIVERED (409 CONFLICT otherwise);
 * 2. the window: now ≤ last delivery + RETURN_WINDOW_DAYS days, a window of 0 days refusing every
 *    request; nothing delivered yet is outside it too (409 CONFLICT);
 * 3. only delivered units: per SKU, requested ≤ delivered − claimed, where delivered sums the lines of
 *    the order's delivered shipments and claimed sums the order's other returns — requested units
 *    while REQUESTED/APPROVED, received units once RECEIVED/REFUNDED/EXCHANGED, nothing when
 *    CANCELLED/REJECTED (409 CONFLICT, naming `lines[i].quantity`);
 * 4. an exchange SKU is an active variant of the product of a returned SKU, with a list price in the
 *    region no higher than the unit price of any returned line of that product, and per product the
 *    exchanged units are at most the returned ones (400 VALIDATION_FAILED naming `exchange[i].sku` or
 *    `exchange[i].quantity`).
 *
 * The caller makes them hold under concurrency by locking the order row before counting (request-return).
 */

export const MAX_RETURN_LINES = 100;
export const MAX_RETURN_QUANTITY = 1000;
export const MAX_RETURN_NOTE = 1000;
const DAY_MS = 24 * 60 * 60 * 1000;

/** Order statuses in which units may be returned. */
export const RETURNABLE_ORDER_STATUSES: ReadonlySet<string> = new Set(['SHIPPED', 'DELIVERED']);

export interface RequestedLine {
  sku: string;
  quantity: number;
  reason: ReturnReason;
}

export interface ExchangeLine {
  sku: string;
  quantity: number;
}

/** A shipment as fulfilment reports it. */
export interface DeliveredShipment {
  status: string;
  lines: readonly { sku: string; quantity: number }[];
  deliveredAt: Date | null;
}

/** Another return of the same order, as far as the counting goes. */
export interface ClaimingReturn {
  status: ReturnStatus;
  lines: readonly { sku: string; quantity: number; received: number }[];
}

export interface ReturnRequestContext {
  order: {
    number: string;
    status: string;
    lines: readonly { sku: string; quantity: number; unitPrice: number }[];
  };
  shipments: readonly DeliveredShipment[];
  /** the order's returns so far (this one not among them) */
  otherReturns: readonly ClaimingReturn[];
  now: Date;
  windowDays: number;
  /** product and status of the returned and exchange SKUs the catalog knows (exchange requests only) */
  variants: ReadonlyMap<string, { productId: string; status: string }>;
  /** the region's list prices of the exchange SKUs, in the order's currency (exchange requests only) */
  prices: ReadonlyMap<string, number>;
}

const add = (m: Map<string, number>, sku: string, n: number) => m.set(sku, (m.get(sku) ?? 0) + n);

/** Units per SKU of the order's delivered shipments. */
export const deliveredUnits = (shipments: readonly DeliveredShipment[]): Map<string, number> => {
  const out = new Map<string, number>();
  for (const s of shipments)
    if (s.status === 'delivered') for (const l of s.lines) add(out, l.sku, l.quantity);
  return out;
};

/** When the last delivered shipment arrived; null when none is delivered. */
export const lastDelivery = (shipments: readonly DeliveredShipment[]): Date | null => {
  let last: Date | null = null;
  for (const s of shipments) {
    if (s.status === 'delivered' && s.deliveredAt && (!last || s.deliveredAt > last)) last = s.deliveredAt;
  }
  return last;
};

/** Whether a request at `now` is inside the window (0 days: never). */
export const windowOpen = (last: Date | null, windowDays: number, now: Date): boolean =>
  last !== null && windowDays > 0 && now.getTime() <= last.getTime() + windowDays * DAY_MS;

/** Whether the window has closed at `now` (the order may complete): last delivery + window ≤ now. */
export const windowClosed = (last: Date | null, windowDays: number, now: Date): boolean =>
  last !== null && last.getTime() + windowDays * DAY_MS <= now.getTime();

const RECEIVED_STATUSES: ReadonlySet<ReturnStatus> = new Set(['RECEIVED', 'REFUNDED', 'EXCHANGED']);
const REQUESTED_STATUSES: ReadonlySet<ReturnStatus> = new Set(['REQUESTED', 'APPROVED']);

/** Units per SKU the returns hold: requested while open, received once received, none when cancelled or rejected. */
export const claimedUnits = (returns: readonly ClaimingReturn[]): Map<string, number> => {
  const out = new Map<string, number>();
  for (const r of returns) {
    for (const l of r.lines) {
      if (REQUESTED_STATUSES.has(r.status)) add(out, l.sku, l.quantity);
      else if (RECEIVED_STATUSES.has(r.status)) add(out, l.sku, l.received);
    }
  }
  return out;
};

/** Units per SKU that came back with the returns (RECEIVED, REFUNDED, EXCHANGED). */
export const receivedUnits = (returns: readonly ClaimingReturn[]): Map<string, number> => {
  const out = new Map<string, number>();
  for (const r of returns) {
    if (!RECEIVED_STATUSES.has(r.status)) continue;
    for (const l of r.lines) if (l.received > 0) add(out, l.sku, l.received);
  }
  return out;
};

const isQuantity = (n: number) => Number.isSafeInteger(n) && n >= 1 && n <= MAX_RETURN_QUANTITY;

/** The request's shape (also checked at the edge by zod): 400 naming every offending field. */
export const checkRequestShape = (
  lines: readonly RequestedLine[],
  exchange: readonly ExchangeLine[],
): void => {
  const errors: FieldError[] = [];
  if (lines.length < 1 || lines.length > MAX_RETURN_LINES) {
    errors.push({ path: 'lines', message: `must hold 1 to ${MAX_RETURN_LINES} lines` });
  }
  const seen = new Set<string>();
  lines.forEach((l, i) => {
    if (seen.has(l.sku)) errors.push({ path: `lines[${i}].sku`, message: 'appears twice' });
    seen.add(l.sku);
    if (!isQuantity(l.quantity)) {
      errors.push({ path: `lines[${i}].quantity`, message: `must be from 1 to ${MAX_RETURN_QUANTITY}` });
    }
  });
  if (exchange.length > MAX_RETURN_LINES) {
    errors.push({ path: 'exchange', message: `must hold at most ${MAX_RETURN_LINES} lines` });
  }
  exchange.forEach((l, i) => {
    if (!isQuantity(l.quantity)) {
      errors.push({ path: `exchange[${i}].quantity`, message: `must be from 1 to ${MAX_RETURN_QUANTITY}` });
    }
  });
  if (errors.length > 0) throw new ReturnValidationError('The return request is invalid', errors);
};

/** Applies rules 1–4 (see the module comment); throws the first kind of violation with every field of it. */
export const checkReturnRequest = (
  input: { lines: readonly RequestedLine[]; exchange: readonly ExchangeLine[] },
  ctx: ReturnRequestContext,
): void => {
  checkRequestShape(input.lines, input.exchange);
  const { order } = ctx;
  if (!RETURNABLE_ORDER_STATUSES.has(order.status)) {
    throw new ReturnNotAllowedError(
      `Order ${order.number} is ${order.status}: only a shipped or delivered order's units can be returned`,
    );
  }
  if (!windowOpen(lastDelivery(ctx.shipments), ctx.windowDays, ctx.now)) {
    throw new ReturnNotAllowedError(
      ctx.windowDays === 0
        ? 'Returns are not accepted in this region'
        : `The return window of order ${order.number} is closed (${ctx.windowDays} days from the last delivery)`,
    );
  }
  const delivered = deliveredUnits(ctx.shipments);
  const claimed = claimedUnits(ctx.otherReturns);
  const units: FieldError[] = [];
  input.lines.forEach((l, i) => {
    const left = (delivered.get(l.sku) ?? 0) - (claimed.get(l.sku) ?? 0);
    if (l.quantity > left) {
      units.push({
        path: `lines[${i}].quantity`,
        message:
          (delivered.get(l.sku) ?? 0) === 0
            ? `no unit of ${l.sku} was delivered with this order`
            : `at most ${Math.max(0, left)} of ${l.sku} can still be returned`,
      });
    }
  });
  if (units.length > 0) {
    throw new ReturnNotAllowedError(
      'More units than were delivered and not yet returned or requested',
      units,
    );
  }
  if (input.exchange.length > 0) checkExchange(input, ctx);
};

const checkExchange = (
  input: { lines: readonly RequestedLine[]; exchange: readonly ExchangeLine[] },
  ctx: ReturnRequestContext,
): void => {
  // per product: the cheapest unit price of its returned lines, and the units returned
  const returned = new Map<string, { cheapest: number; units: number }>();
  for (const l of input.lines) {
    const product = ctx.variants.get(l.sku)?.productId;
    if (!product) continue;
    const unitPrice = Math.min(
      ...ctx.order.lines.filter((o) => o.sku === l.sku).map((o) => o.unitPrice),
      Number.MAX_SAFE_INTEGER,
    );
    const r = returned.get(product) ?? { cheapest: Number.MAX_SAFE_INTEGER, units: 0 };
    r.cheapest = Math.min(r.cheapest, unitPrice);
    r.units += l.quantity;
    returned.set(product, r);
  }
  const errors: FieldError[] = [];
  const exchanged = new Map<string, number[]>();
  input.exchange.forEach((e, i) => {
    const path = `exchange[${i}].sku`;
    const variant = ctx.variants.get(e.sku);
    const r = variant ? returned.get(variant.productId) : undefined;
    if (!variant || !r) {
      errors.push({ path, message: `${e.sku} is not a variant of a returned product` });
      return;
    }
    if (variant.status !== 'active') {
      errors.push({ path, message: `${e.sku} is not for sale` });
      return;
    }
    const price = ctx.prices.get(e.sku);
    if (price === undefined) {
      errors.push({ path, message: `${e.sku} has no price in this region` });
      return;
    }
    if (price > r.cheapest) {
      errors.push({
        path,
        message: `${e.sku} costs more than the returned item (an exchange is for the same or a lower price)`,
      });
      return;
    }
    const list = exchanged.get(variant.productId) ?? [];
    list.push(i);
    exchanged.set(variant.productId, list);
  });
  for (const [product, indexes] of exchanged) {
    const units = indexes.reduce((a, i) => a + input.exchange[i]!.quantity, 0);
    if (units > returned.get(product)!.units) {
      for (const i of indexes) {
        errors.push({
          path: `exchange[${i}].quantity`,
          message: `exchanges more units (${units}) than are returned of that product (${returned.get(product)!.units})`,
        });
      }
    }
  }
  if (errors.length > 0) throw new ReturnValidationError('The exchange is invalid', errors);
};
