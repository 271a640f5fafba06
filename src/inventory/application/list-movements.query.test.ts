import { describe, expect, it } from 'vitest';
import { inMemoryInventory } from '../../../test/support/in-memory/inventory.repositories.js';
import { AdjustStock } from './adjust-stock.use-case.js';
import { ListMovements } from './list-movements.query.js';

describe('ListMovements', () => {
  it("pages through a SKU's ledger newest first, `limit` at a time, with a position to continue after", async () => {
    const inv = inMemoryInventory();
    const adjust = new AdjustStock(inv.deps, inv.warehouses);
    const fra = await inv.warehouse('FRA');
    for (const delta of [1, 2, 3]) {
      await adjust.execute({ sku: 'SKU-A', warehouseId: fra.id, delta, reason: `+${delta}` }, 'staff-1');
    }
    await adjust.execute({ sku: 'SKU-B', warehouseId: fra.id, delta: 9, reason: 'other' }, 'staff-1');
    const movements = new ListMovements(inv.deps);

    const first = await movements.execute('SKU-A', 2, null);
    expect(first.items.map((m) => m.delta)).toEqual([3, 2]);
    expect(first.next).toBe(first.items[1]?.seq);

    const last = await movements.execute('SKU-A', 2, first.next);
    expect(last.items.map((m) => m.delta)).toEqual([1]);
    expect(last.next).toBeNull();
  });

  it('has no next position when the page holds exactly what is left', async () => {
    const inv = inMemoryInventory();
    const fra = await inv.warehouse('FRA');
    await new AdjustStock(inv.deps, inv.warehouses).execute(
      { sku: 'SKU-A', warehouseId: fra.id, delta: 1, reason: 'x' },
      'staff-1',
    );
    expect((await new ListMovements(inv.deps).execute('SKU-A', 1, null)).next).toBeNull();
  });
});
