import { describe, expect, it } from 'vitest';
import { type PaidLine, type PaidOrder, paidOfLine, receiptRefund, shareOf } from './return-refund.policy.js';
import { ReturnInvariantError } from './returns.errors.js';

const line = (sku: string, quantity: number, unitPrice: number, discount = 0, tax = 0): PaidLine => ({
  sku,
  quantity,
  unitPrice,
  lineTotal: unitPrice * quantity - discount,
  tax,
});

/** An order's total as pricing makes it: lines (+ tax when exclusive) + shipping (+ its tax). */
const order = (
  taxMode: PaidOrder['taxMode'],
  lines: PaidLine[],
  shipping: number,
  shippingTax = 0,
): PaidOrder => ({
  taxMode,
  lines,
  total:
    lines.reduce((a, l) => a + l.lineTotal + (taxMode === 'exclusive' ? l.tax : 0), 0) +
    shipping +
    (taxMode === 'exclusive' ? shippingTax : 0),
});

const m = <V>(entries: [string, V][]) => new Map(entries);
const refund = (o: PaidOrder, received: [string, number][], prev: [string, number][] = []) =>
  receiptRefund({ order: o, previouslyReceived: m(prev), received: m(received) });

describe('what a line paid', () => {
  it('is the line total with tax inclusive, and the line total plus its tax with tax exclusive', () => {
    const l = line('A', 2, 1000, 200, 300);
    expect(paidOfLine(l, 'inclusive')).toBe(1800);
    expect(paidOfLine(l, 'exclusive')).toBe(2100);
  });

  it('shares out rounded down, the whole line for all its units', () => {
    expect(shareOf(1000, 3, 1)).toBe(333);
    expect(shareOf(1000, 3, 2)).toBe(666);
    expect(shareOf(1000, 3, 3)).toBe(1000);
    expect(shareOf(1000, 3, 0)).toBe(0);
  });
});

describe('the refund of a receipt', () => {
  it('refunds the units received at what was paid for them: tax inclusive, no coupon', () => {
    const o = order('inclusive', [line('A', 2, 1250), line('B', 1, 499)], 495);
    expect(refund(o, [['A', 1]])).toMatchObject({ amount: 1250, shipping: 0 });
    expect(refund(o, [['B', 1]]).amount).toBe(499);
  });

  it('takes the coupon’s discount share of the line off (lineTotal, not the list price)', () => {
    // 10 % off: A 2 × 1250 = 2500 − 250
    const o = order('inclusive', [line('A', 2, 1250, 250), line('B', 1, 499, 50)], 495);
    expect(refund(o, [['A', 1]]).amount).toBe(1125);
    expect(refund(o, [['B', 1]]).amount).toBe(449);
  });

  it('adds the line’s tax when tax comes on top of the prices (exclusive), not when it is inside (inclusive)', () => {
    const lines = [line('A', 2, 1000, 0, 190)];
    expect(refund(order('exclusive', lines, 500, 95), [['A', 1]]).amount).toBe(1095);
    expect(refund(order('inclusive', lines, 500), [['A', 1]]).amount).toBe(1000);
  });

  it('adds up to exactly what the line paid, whatever the split of partial returns (rounding with the last unit)', () => {
    const o = order('exclusive', [line('A', 7, 333, 101, 97), line('Z', 1, 100)], 0);
    const paid = paidOfLine(o.lines[0]!, 'exclusive');
    for (const split of [[1, 1, 1, 1, 1, 1, 1], [3, 4], [2, 2, 3], [6, 1], [1, 6], [7]]) {
      let prev = 0;
      let sum = 0;
      for (const k of split) {
        sum += refund(o, [['A', k]], [['A', prev]]).amount;
        prev += k;
      }
      expect(sum, split.join('+')).toBe(paid);
    }
  });

  it('refunds shipping (and its tax) only with the receipt that brings back the last unit of the order', () => {
    const o = order('exclusive', [line('A', 2, 1000, 0, 200), line('B', 1, 500, 0, 100)], 495, 99);
    const first = refund(o, [['A', 2]]);
    expect(first).toMatchObject({ amount: 2200, shipping: 0 });
    const last = refund(o, [['B', 1]], [['A', 2]]);
    expect(last).toMatchObject({ amount: 600 + 594, shipping: 594 });
    expect(first.amount + last.amount).toBe(o.total);
  });

  it('refunds the whole order total when everything comes back at once', () => {
    const o = order('inclusive', [line('A', 3, 999, 300), line('B', 2, 1500, 100)], 395);
    expect(
      refund(o, [
        ['A', 3],
        ['B', 2],
      ]),
    ).toMatchObject({ amount: o.total, shipping: 395 });
  });

  it('keeps shipping when units are still out, also when only one unit of a line stays', () => {
    const o = order('inclusive', [line('A', 3, 1000)], 500);
    expect(refund(o, [['A', 2]]).shipping).toBe(0);
    expect(refund(o, [['A', 1]], [['A', 2]]).shipping).toBe(500);
  });

  it('refuses more units than the order holds (a bug upstream): it throws', () => {
    const o = order('inclusive', [line('A', 2, 1000)], 0);
    expect(() => refund(o, [['A', 3]])).toThrow(ReturnInvariantError);
    expect(() => refund(o, [['A', 1]], [['A', 2]])).toThrow(ReturnInvariantError);
    expect(() => refund(o, [['X', 1]])).toThrow(ReturnInvariantError);
  });
});

describe('the refund of an exchange', () => {
  const o = order('inclusive', [line('SHIRT-M', 2, 2000, 400), line('MUG', 1, 800)], 495);
  const productOf = m([
    ['SHIRT-M', 'shirt'],
    ['SHIRT-L', 'shirt'],
    ['SHIRT-S', 'shirt'],
    ['MUG', 'mug'],
  ]);
  const exchange = (
    lines: { sku: string; quantity: number }[],
    prices: [string, number][],
    received: [string, number][],
  ) =>
    receiptRefund({
      order: o,
      previouslyReceived: new Map(),
      received: m(received),
      exchange: { lines, productOf, listPrice: m(prices) },
    });

  it('refunds nothing for the same price (another size), and never shipping', () => {
    const r = exchange([{ sku: 'SHIRT-L', quantity: 2 }], [['SHIRT-L', 2000]], [['SHIRT-M', 2]]);
    expect(r).toMatchObject({ amount: 0, shipping: 0 });
  });

  it('refunds the difference of a cheaper variant, in proportion to what was paid (the coupon counted)', () => {
    // paid 3600 for 2 × 2000 listed; the replacement lists 2 × 1500 = 3000: worth floor(3600 × 3000 / 4000) = 2700
    const r = exchange([{ sku: 'SHIRT-S', quantity: 2 }], [['SHIRT-S', 1500]], [['SHIRT-M', 2]]);
    expect(r.amount).toBe(900);
  });

  it('refunds the units not exchanged of a product in full (fewer replacements than returns)', () => {
    // one of the two shirts replaced at the same price: worth floor(3600 × 2000 / 4000) = 1800
    const r = exchange([{ sku: 'SHIRT-L', quantity: 1 }], [['SHIRT-L', 2000]], [['SHIRT-M', 2]]);
    expect(r.amount).toBe(1800);
  });

  it('adds up the difference product by product, and replacing a faulty unit by the same SKU costs nothing', () => {
    const r = exchange(
      [
        { sku: 'SHIRT-M', quantity: 1 },
        { sku: 'MUG', quantity: 1 },
      ],
      [
        ['SHIRT-M', 2000],
        ['MUG', 800],
      ],
      [
        ['SHIRT-M', 1],
        ['MUG', 1],
      ],
    );
    expect(r.amount).toBe(0);
  });

  it('never refunds below 0 when the replacement got dearer since the request', () => {
    const r = exchange([{ sku: 'SHIRT-L', quantity: 2 }], [['SHIRT-L', 2600]], [['SHIRT-M', 2]]);
    expect(r.amount).toBe(0);
  });
});
