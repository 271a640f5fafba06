import { describe, expect, it } from 'vitest';
import { inMemoryInventory } from '../../../test/support/in-memory/inventory.repositories.js';
import { NotFoundError } from '../../platform/errors.js';
import { newId } from '../../platform/ids.js';
import { GetStock } from './get-stock.query.js';
import { ReserveStock } from './reserve-stock.use-case.js';

describe('GetStock', () => {
  it('lists every warehouse of the region by code with on hand, reserved and available, and the total available', async () => {
    const inv = inMemoryInventory();
    await inv.stockUp('SKU-A', { FRA: 5 });
    await new ReserveStock(inv.deps, inv.warehouses, inv.background).execute(newId(), [
      { sku: 'SKU-A', quantity: 2 },
    ]);
    const [fra, dub] = [await inv.warehouse('FRA'), await inv.warehouse('DUB')];

    expect(await new GetStock(inv.deps, inv.warehouses).execute('SKU-A')).toEqual({
      sku: 'SKU-A',
      warehouses: [
        { warehouseId: dub.id, code: 'DUB', onHand: 0, reserved: 0, available: 0 },
        { warehouseId: fra.id, code: 'FRA', onHand: 5, reserved: 2, available: 3 },
      ],
      totalAvailable: 3,
    });
  });

  it('shows zeros for a known SKU that never had stock', async () => {
    const inv = inMemoryInventory();
    const view = await new GetStock(inv.deps, inv.warehouses).execute('SKU-NEW');
    expect(view.totalAvailable).toBe(0);
    expect(view.warehouses.map((w) => w.onHand)).toEqual([0, 0]);
  });

  it('refuses with 404 a SKU the catalog does not know', async () => {
    const inv = inMemoryInventory({ knownSkus: [] });
    await expect(new GetStock(inv.deps, inv.warehouses).execute('SKU-A')).rejects.toBeInstanceOf(
      NotFoundError,
    );
  });
});
