import { describe, expect, it } from 'vitest';
import { inMemoryInventory } from '../../../test/support/in-memory/inventory.repositories.js';
import { NotFoundError } from '../../platform/errors.js';
import { AdjustStock } from './adjust-stock.use-case.js';
import { AdjustStockByCode } from './adjust-stock-by-code.use-case.js';

describe('AdjustStockByCode', () => {
  it('adjusts the warehouse with that code, as `system`, with the same ledger row and event', async () => {
    const inv = inMemoryInventory();
    const byCode = new AdjustStockByCode(inv.warehouses, new AdjustStock(inv.deps, inv.warehouses));
    const dub = await inv.warehouse('DUB');

    const movement = await byCode.execute('SKU-A', 'DUB', 12, 'demo stock');

    expect(movement).toMatchObject({ warehouseId: dub.id, delta: 12, actor: 'system', reason: 'demo stock' });
    expect(inv.store.level('SKU-A', dub.id)).toEqual({ onHand: 12, reserved: 0 });
    expect(inv.uow.events).toHaveLength(1);
  });

  it('refuses with 404 a warehouse code the region does not have', async () => {
    const inv = inMemoryInventory();
    const byCode = new AdjustStockByCode(inv.warehouses, new AdjustStock(inv.deps, inv.warehouses));
    await expect(byCode.execute('SKU-A', 'IAD', 1, 'x')).rejects.toBeInstanceOf(NotFoundError);
    expect(inv.store.stock.size).toBe(0);
  });
});
