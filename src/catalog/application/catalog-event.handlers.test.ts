import { afterEach, describe, expect, it } from 'vitest';
import {
  type CatalogHarness,
  catalogHarness,
  detailIsCached,
  listingGeneration,
  primeDetail,
  seedCategory,
  seedProduct,
} from '../../../test/support/in-memory/catalog.repositories.js';
import type { TransactionHandle } from '../../platform/db/unit-of-work.js';
import { CatalogEventHandlers } from './catalog-event.handlers.js';

const TX = {} as TransactionHandle;

describe('CatalogEventHandlers', () => {
  let h: CatalogHarness;
  const setup = () => {
    h = catalogHarness();
    seedCategory(h, 'chairs');
    return new CatalogEventHandlers(h.deps);
  };
  afterEach(() => h.cache.close());

  it('a price in the region currency is projected and drops the product’s cached detail and the listings', async () => {
    const handlers = setup();
    const p = seedProduct(h, 'oak-chair', { category: 'chairs', skus: ['OAK-1'] });
    await primeDetail(h, 'oak-chair');
    const generation = await listingGeneration(h);
    await handlers.priceChanged({ sku: 'OAK-1', amount: 4999, currency: 'EUR', at: h.clock.now() }, TX);
    expect(h.store.prices.get('OAK-1')?.amount).toBe(4999);
    expect(await detailIsCached(h, 'oak-chair')).toBe(false);
    expect(await detailIsCached(h, p.id)).toBe(false);
    expect(await listingGeneration(h)).not.toBe(generation);
  });

  it('a price in another currency is not the region’s to show: nothing is stored or invalidated', async () => {
    const handlers = setup();
    seedProduct(h, 'oak-chair', { category: 'chairs', skus: ['OAK-1'] });
    await primeDetail(h, 'oak-chair');
    await handlers.priceChanged({ sku: 'OAK-1', amount: 4999, currency: 'USD', at: h.clock.now() }, TX);
    expect(h.store.prices.has('OAK-1')).toBe(false);
    expect(await detailIsCached(h, 'oak-chair')).toBe(true);
  });

  it('a price older than the stored one changes nothing', async () => {
    const handlers = setup();
    seedProduct(h, 'oak-chair', { category: 'chairs', skus: ['OAK-1'] });
    await handlers.priceChanged({ sku: 'OAK-1', amount: 100, currency: 'EUR', at: h.clock.now() }, TX);
    await primeDetail(h, 'oak-chair');
    await handlers.priceChanged(
      { sku: 'OAK-1', amount: 999, currency: 'EUR', at: new Date(h.clock.now().getTime() - 1000) },
      TX,
    );
    expect(h.store.prices.get('OAK-1')?.amount).toBe(100);
    expect(await detailIsCached(h, 'oak-chair')).toBe(true);
  });

  it('a price of a draft product leaves the listings alone (it is listed nowhere)', async () => {
    const handlers = setup();
    seedProduct(h, 'oak-chair', { category: 'chairs', skus: ['OAK-1'], status: 'draft' });
    const generation = await listingGeneration(h);
    await handlers.priceChanged({ sku: 'OAK-1', amount: 100, currency: 'EUR', at: h.clock.now() }, TX);
    expect(await listingGeneration(h)).toBe(generation);
  });

  it('ProductCreated replaces the listing generation; ProductUpdated also drops the product’s detail', async () => {
    const handlers = setup();
    const p = seedProduct(h, 'oak-chair', { category: 'chairs' });
    const data = { productId: p.id, slug: 'oak-chair', skus: ['OAK-CHAIR-1'], status: 'active' as const };
    const g0 = await listingGeneration(h);
    await primeDetail(h, 'oak-chair');
    await handlers.productChanged(data, true);
    const g1 = await listingGeneration(h);
    expect(g1).not.toBe(g0);
    expect(await detailIsCached(h, 'oak-chair')).toBe(true);
    await handlers.productChanged(data, false);
    expect(await detailIsCached(h, 'oak-chair')).toBe(false);
    expect(await listingGeneration(h)).not.toBe(g1);
  });
});
