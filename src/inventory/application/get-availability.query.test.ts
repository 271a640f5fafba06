import { describe, expect, it } from 'vitest';
import { inMemoryInventory } from '../../../test/support/in-memory/inventory.repositories.js';
import type { TransactionHandle } from '../../platform/db/unit-of-work.js';
import { newId } from '../../platform/ids.js';
import { GetAvailability } from './get-availability.query.js';
import { ReserveStock } from './reserve-stock.use-case.js';

describe('GetAvailability', () => {
  it('answers on hand − reserved summed over the warehouses, and 0 for SKUs without stock or malformed', async () => {
    const inv = inMemoryInventory();
    await inv.stockUp('SKU-A', { FRA: 5, DUB: 2 });
    await new ReserveStock(inv.deps, inv.warehouses, inv.background).execute(newId(), [
      { sku: 'SKU-A', quantity: 3 },
    ]);

    const available = await new GetAvailability(inv.deps, inv.warehouses).execute([
      'SKU-A',
      'SKU-NONE',
      '-bad',
    ]);

    expect([...available]).toEqual([
      ['SKU-A', 4],
      ['SKU-NONE', 0],
      ['-bad', 0],
    ]);
  });

  it('browsing may answer from the cache, stale until the entry expires (5 s); `fresh` always reads the store', async () => {
    const inv = inMemoryInventory({ cache: true });
    const availability = new GetAvailability(inv.deps, inv.warehouses);
    await inv.stockUp('SKU-A', { FRA: 5 });
    expect((await availability.execute(['SKU-A'])).get('SKU-A')).toBe(5);
    await inv.stockUp('SKU-A', { FRA: 1 }); // behind the cache's back

    expect((await availability.execute(['SKU-A'])).get('SKU-A')).toBe(5);
    expect(
      (await availability.execute(['SKU-A'], { fresh: true, tx: {} as TransactionHandle })).get('SKU-A'),
    ).toBe(6);
    inv.clock.advance(5_000);
    await inv.stockUp('SKU-A', { FRA: 1 });
    expect((await availability.execute(['SKU-A'])).get('SKU-A')).toBe(7);
  });

  it('a reservation forgets the cached availability of its SKUs', async () => {
    const inv = inMemoryInventory({ cache: true });
    const availability = new GetAvailability(inv.deps, inv.warehouses);
    await inv.stockUp('SKU-A', { FRA: 5 });
    expect((await availability.execute(['SKU-A'])).get('SKU-A')).toBe(5);

    await new ReserveStock(inv.deps, inv.warehouses, inv.background).execute(newId(), [
      { sku: 'SKU-A', quantity: 2 },
    ]);

    expect((await availability.execute(['SKU-A'])).get('SKU-A')).toBe(3);
  });
});
