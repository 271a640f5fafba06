import type { DataSource } from 'typeorm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/platform/clock.js';
import { createDataSource } from '../../src/platform/db/data-source.js';
import { regionPreset } from '../../src/platform/region/region-presets.js';
import { PricingEventTypes } from '../../src/pricing/contract.js';
import {
  createPricingServices,
  PRICING_ENTITIES,
  type PricingServices,
} from '../../src/pricing/pricing.plugin.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { missing } from '../support/skip.js';

/** The pricing facade as cart and orders use it, over a real Postgres, for an inclusive and an exclusive region. */
describe.skipIf(missing('postgres'))('pricing facade', () => {
  let db: TestDatabase;
  let ds: DataSource;
  let eu: PricingServices;
  let us: PricingServices;
  const clock = new ManualClock('2026-03-01T12:00:00Z');

  beforeAll(async () => {
    db = await createTestDatabase();
    ds = createDataSource({ url: db.url, poolSize: 4, entities: PRICING_ENTITIES });
    await ds.initialize();
    eu = createPricingServices({ dataSource: ds, region: regionPreset('eu'), clock });
    us = createPricingServices({ dataSource: ds, region: regionPreset('us'), clock });
    await eu.setPrice.execute('TEE-M', 1999);
    await eu.setPrice.execute('MUG', 1250);
    await us.setPrice.execute('TEE-M', 2200);
  });
  afterAll(async () => {
    await ds?.destroy();
    await db?.drop();
  });

  it('serves each region its own price list, in its currency', async () => {
    expect(await eu.facade.pricesFor(['TEE-M', 'MUG', 'NOPE', 'TEE-M'])).toEqual(
      new Map([
        ['TEE-M', { amount: 1999, currency: 'EUR' }],
        ['MUG', { amount: 1250, currency: 'EUR' }],
      ]),
    );
    expect(await us.facade.pricesFor(['TEE-M', 'MUG'])).toEqual(
      new Map([['TEE-M', { amount: 2200, currency: 'USD' }]]),
    );
    expect(await eu.facade.pricesFor([])).toEqual(new Map());
  });

  it('sets prices only for SKUs the SKU directory knows (404 otherwise)', async () => {
    const known = new Set(['KNOWN-1']);
    const alone = createPricingServices({ dataSource: ds, region: regionPreset('eu'), clock });
    await alone.setPrice.execute('ANYTHING-GOES', 100); // the default directory accepts every SKU
    const svc = createPricingServices({
      dataSource: ds,
      region: regionPreset('eu'),
      clock,
      skuDirectory: { exists: async (sku) => known.has(sku) },
    });
    await expect(svc.setPrice.execute('UNKNOWN-1', 100)).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(svc.setPrice.execute('KNOWN-1', 100)).resolves.toMatchObject({
      sku: 'KNOWN-1',
      amount: 100,
    });
    expect((await svc.facade.pricesFor(['UNKNOWN-1', 'KNOWN-1'])).has('UNKNOWN-1')).toBe(false);
  });

  it('writes PriceChanged only when the amount changes', async () => {
    const count = async () =>
      Number(
        (
          await ds.query(`SELECT count(*)::int AS n FROM outbox WHERE type = $1 AND subject = 'SOCK'`, [
            PricingEventTypes.PriceChanged,
          ])
        )[0].n,
      );
    await eu.setPrice.execute('SOCK', 500);
    await eu.setPrice.execute('SOCK', 500);
    expect(await count()).toBe(1);
    await eu.setPrice.execute('SOCK', 450);
    expect(await count()).toBe(2);
  });

  it('quotes lines with shipping, reports SKUs without a price instead of pricing them at zero', async () => {
    const quote = await eu.facade.quote({
      lines: [
        { sku: 'TEE-M', quantity: 2, taxClass: 'standard' },
        { sku: 'GHOST', quantity: 1, taxClass: 'standard' },
        { sku: 'MUG', quantity: 1, taxClass: 'reduced' },
      ],
      shippingOption: 'standard',
    });
    expect(quote).toMatchObject({
      currency: 'EUR',
      taxMode: 'inclusive',
      subtotal: 3998 + 1250,
      discount: 0,
      shipping: 495,
      shippingTax: 82,
      tax: 666 + 82 + 82, // 1250 × 700 / 10700 = 81.78 → 82
      total: 3998 + 1250 + 495,
      promotion: null,
      shippingOption: { code: 'standard', name: 'Standard (3-5 days)' },
      missingPrices: ['GHOST'],
    });
    expect(quote.lines.map((l) => l.sku)).toEqual(['TEE-M', 'MUG']);
  });

  it('applies an eligible coupon and reports why an ineligible one was not applied', async () => {
    await eu.createPromotion.execute({ code: 'TENOFF', type: 'percentage', value: 10, minSubtotal: 5000 });
    const lines = [{ sku: 'TEE-M', quantity: 3, taxClass: 'standard' }]; // 5997
    const applied = await eu.facade.quote({ lines, promotionCode: 'tenoff' });
    expect(applied.promotion).toEqual({ code: 'TENOFF', applied: true });
    expect(applied).toMatchObject({ subtotal: 5997, discount: 600, total: 5397 }); // 599.7 → 600

    const small = await eu.facade.quote({
      lines: [{ sku: 'TEE-M', quantity: 1, taxClass: 'standard' }],
      promotionCode: 'TENOFF',
    });
    expect(small.promotion).toEqual({ code: 'TENOFF', applied: false, reason: 'min_subtotal_not_met' });
    expect(small).toMatchObject({ discount: 0, total: 1999 });

    const unknown = await eu.facade.quote({ lines, promotionCode: 'WHAT' });
    expect(unknown.promotion).toEqual({ code: 'WHAT', applied: false, reason: 'unknown' });

    expect(await eu.facade.checkPromotion('TENOFF', 4999)).toEqual({
      ok: false,
      code: 'TENOFF',
      reason: 'min_subtotal_not_met',
    });
    const ok = await eu.facade.checkPromotion('TenOff', 5000);
    expect(ok).toMatchObject({
      ok: true,
      promotion: { code: 'TENOFF', minSubtotal: { amount: 5000, currency: 'EUR' } },
    });
  });

  it('adds tax on top in an exclusive region and refuses an unknown shipping option', async () => {
    const quote = await us.facade.quote({
      lines: [{ sku: 'TEE-M', quantity: 1, taxClass: 'standard' }],
      shippingOption: 'ground',
    });
    // 2200 × 7.25 % = 159.5 → 160 (even); 599 × 7.25 % = 43.43 → 43
    expect(quote).toMatchObject({ currency: 'USD', taxMode: 'exclusive', tax: 203, total: 2200 + 599 + 203 });
    await expect(us.facade.quote({ lines: [], shippingOption: 'standard' })).rejects.toMatchObject({
      code: 'VALIDATION_FAILED',
    });
    expect(us.facade.shippingOptions()).toEqual([
      { code: 'ground', name: 'Ground (5-7 days)', price: { amount: 599, currency: 'USD' } },
      { code: 'two_day', name: 'Two-day', price: { amount: 1499, currency: 'USD' } },
    ]);
  });
});
