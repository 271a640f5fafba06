import { describe, expect, it } from 'vitest';
import { ValidationError } from '../../platform/errors.js';
import { MAX_PRICE_AMOUNT, Price } from './price.aggregate.js';

const now = new Date('2026-01-01T00:00:00Z');
const later = new Date('2026-01-02T00:00:00Z');

describe('Price', () => {
  it('records PriceChanged when created and when the amount changes, not when it stays', () => {
    const price = Price.create({ region: 'eu', sku: 'TEE-RED-M', amount: 1999, currency: 'EUR', now });
    expect(price.pullEvents()).toMatchObject([
      { name: 'PriceChanged', aggregateId: 'TEE-RED-M', sku: 'TEE-RED-M', amount: 1999, currency: 'EUR' },
    ]);
    expect(price.change(1999, later)).toBe(false);
    expect(price.pullEvents()).toEqual([]);
    expect(price.updatedAt).toEqual(now);
    expect(price.change(2499, later)).toBe(true);
    expect(price.pullEvents()).toMatchObject([{ name: 'PriceChanged', amount: 2499, previousAmount: 1999 }]);
    expect(price.updatedAt).toEqual(later);
  });

  it.each([-1, 1.5, Number.NaN, MAX_PRICE_AMOUNT + 1])('refuses the amount %s', (amount) => {
    expect(() => Price.create({ region: 'eu', sku: 'A', amount, currency: 'EUR', now })).toThrow(
      ValidationError,
    );
  });

  it.each(['', '-A', 'a b', 'x'.repeat(65), 'ä'])('refuses the SKU %j', (sku) => {
    expect(() => Price.create({ region: 'eu', sku, amount: 1, currency: 'EUR', now })).toThrow(
      ValidationError,
    );
  });

  it('accepts the bounds', () => {
    expect(Price.create({ region: 'eu', sku: 'A', amount: 0, currency: 'EUR', now }).amount).toBe(0);
    expect(
      Price.create({ region: 'eu', sku: 'a.B_c-9', amount: MAX_PRICE_AMOUNT, currency: 'EUR', now }).amount,
    ).toBe(MAX_PRICE_AMOUNT);
  });
});
