import { ReturnInvariantError } from './returns.errors.js';

/**
 * What a receipt refunds (docs/returns.md "Money") — a pure function of the order as it was paid and of
 * the units that came back, in integer minor units, never floats:
 *
 * - a line's paid amount is its `lineTotal` (its share of the coupon's discount already taken off),
 *   plus its tax when the order's tax is `exclusive` (an inclusive price holds its tax);
 * - `share(m)` of a line of `quantity` units is the whole paid amount when `m = quantity`, else
 *   `floor(paid × m / quantity)`; a receipt of `k` units after `prev` units of the line came back
 *   earlier is worth `share(prev + k) − share(prev)` — so all the returns of a line add up to exactly
 *   what was paid for it, whatever the split, and the rounding remainder goes with the last unit;
 * - the rest of the order (shipping and its tax: `total − Σ paid`) goes with the receipt that brings
 *   back the last unit of the whole order, unless it is an exchange (the replacement ships too);
 * - an exchange refunds the difference: per product P, the replacement is worth
 *   `floor(paid(P) × Σ(list price × qty of its exchange lines) / Σ(unit price × received qty))`, and
 *   `paid(P) − value(P)` (never below 0) comes back.
 *
 * Payments caps the refund at what is still refundable (captured − refunded − reserved).
 */

/** An order line as it was priced and paid (orders' `NewOrderLine`). */
export interface PaidLine {
  sku: string;
  quantity: number;
  unitPrice: number;
  lineTotal: number;
  tax: number;
}

export interface PaidOrder {
  taxMode: 'inclusive' | 'exclusive';
  total: number;
  lines: readonly PaidLine[];
}

/** The exchange of a receipt: what replaces the returned units, and what the catalog and pricing say of them. */
export interface ExchangeValuation {
  lines: readonly { sku: string; quantity: number }[];
  /** the product of every returned and exchange SKU */
  productOf: ReadonlyMap<string, string>;
  /** the list price of every exchange SKU now (minor units, the order's currency) */
  listPrice: ReadonlyMap<string, number>;
}

export interface ReceiptRefundInput {
  order: PaidOrder;
  /** units of each SKU received by the order's earlier returns (RECEIVED, REFUNDED, EXCHANGED) */
  previouslyReceived: ReadonlyMap<string, number>;
  /** this receipt's units per SKU */
  received: ReadonlyMap<string, number>;
  /** present for an exchange */
  exchange?: ExchangeValuation | null;
}

export interface ReceiptRefund {
  /** what to refund: goods (or, for an exchange, the difference) plus shipping */
  amount: number;
  /** what the received units of each SKU were paid */
  paidBySku: Map<string, number>;
  /** the shipping part (the last unit of the order only; 0 for an exchange) */
  shipping: number;
}

/** A line's paid amount: its total, with its tax when tax comes on top of the prices. */
export const paidOfLine = (line: PaidLine, taxMode: PaidOrder['taxMode']): number =>
  line.lineTotal + (taxMode === 'exclusive' ? line.tax : 0);

/** What `m` of `quantity` units of a line paid `paid` are worth (all of it for the whole line). */
export const shareOf = (paid: number, quantity: number, m: number): number =>
  m >= quantity ? paid : Math.floor((paid * m) / quantity);

interface SkuTotals {
  quantity: number;
  paid: number;
  /** Σ unit price × quantity (an SKU on two lines: both) */
  listed: number;
}

const bySku = (order: PaidOrder): Map<string, SkuTotals> => {
  const out = new Map<string, SkuTotals>();
  for (const l of order.lines) {
    const t = out.get(l.sku) ?? { quantity: 0, paid: 0, listed: 0 };
    t.quantity += l.quantity;
    t.paid += paidOfLine(l, order.taxMode);
    t.listed += l.unitPrice * l.quantity;
    out.set(l.sku, t);
  }
  return out;
};

/** The refund of one receipt (see the module comment). Units beyond what the order holds are a bug: it throws. */
export const receiptRefund = (input: ReceiptRefundInput): ReceiptRefund => {
  const { order, previouslyReceived, received, exchange } = input;
  const skus = bySku(order);
  const paidBySku = new Map<string, number>();
  let goods = 0;
  for (const [sku, k] of received) {
    if (k === 0) continue;
    const t = skus.get(sku);
    const prev = previouslyReceived.get(sku) ?? 0;
    if (!t || !Number.isSafeInteger(k) || k < 0 || prev + k > t.quantity) {
      throw new ReturnInvariantError(`a receipt of ${k} × ${sku} exceeds what the order holds`);
    }
    const worth = shareOf(t.paid, t.quantity, prev + k) - shareOf(t.paid, t.quantity, prev);
    paidBySku.set(sku, worth);
    goods += worth;
  }
  if (exchange) {
    return { amount: exchangeDifference(skus, paidBySku, received, exchange), paidBySku, shipping: 0 };
  }
  let unitsOrdered = 0;
  let unitsBack = 0;
  for (const [sku, t] of skus) {
    unitsOrdered += t.quantity;
    unitsBack += (previouslyReceived.get(sku) ?? 0) + (received.get(sku) ?? 0);
  }
  const paidGoods = [...skus.values()].reduce((a, t) => a + t.paid, 0);
  const unitsNow = [...received.values()].reduce((a, k) => a + k, 0);
  const shipping = unitsBack === unitsOrdered && unitsNow > 0 ? Math.max(0, order.total - paidGoods) : 0;
  return { amount: goods + shipping, paidBySku, shipping };
};

const exchangeDifference = (
  skus: Map<string, SkuTotals>,
  paidBySku: Map<string, number>,
  received: ReadonlyMap<string, number>,
  exchange: ExchangeValuation,
): number => {
  const products = new Map<string, { paid: number; returnedValue: number; exchangeValue: number }>();
  const productOf = (sku: string): string => {
    const p = exchange.productOf.get(sku);
    if (!p) throw new ReturnInvariantError(`no product known for ${sku}`);
    return p;
  };
  const of = (p: string) => {
    const x = products.get(p) ?? { paid: 0, returnedValue: 0, exchangeValue: 0 };
    products.set(p, x);
    return x;
  };
  for (const [sku, k] of received) {
    if (k === 0) continue;
    const t = skus.get(sku)!;
    const x = of(productOf(sku));
    x.paid += paidBySku.get(sku) ?? 0;
    x.returnedValue += Math.round(t.listed / t.quantity) * k;
  }
  for (const line of exchange.lines) {
    const price = exchange.listPrice.get(line.sku);
    if (price === undefined) throw new ReturnInvariantError(`no list price for exchange SKU ${line.sku}`);
    of(productOf(line.sku)).exchangeValue += price * line.quantity;
  }
  let difference = 0;
  for (const x of products.values()) {
    if (x.returnedValue === 0) continue; // an exchange product nothing came back of: refused at request
    const value = Math.floor((x.paid * x.exchangeValue) / x.returnedValue);
    difference += Math.max(0, x.paid - value);
  }
  return difference;
};
