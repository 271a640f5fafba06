import { describe, expect, it } from 'vitest';
import { inMemoryInventory } from '../../../test/support/in-memory/inventory.repositories.js';
import type { TransactionHandle } from '../../platform/db/unit-of-work.js';
import { ListWarehouses } from './list-warehouses.query.js';

const CALLER_TX = {} as TransactionHandle;

describe('ListWarehouses', () => {
  it("creates the region's warehouses on first use, sorted by code, and remembers them", async () => {
    const inv = inMemoryInventory();
    const list = new ListWarehouses(inv.deps);

    const first = await list.execute();
    const again = await list.execute();

    expect(first.map((w) => w.code)).toEqual(['DUB', 'FRA']);
    expect(again).toEqual(first);
    expect(inv.store.ensureCalls).toBe(1);
    expect(inv.store.warehouses).toHaveLength(2);
  });

  it('does not remember a failed creation: the next call tries again', async () => {
    const inv = inMemoryInventory();
    const list = new ListWarehouses(inv.deps);
    inv.store.failNextEnsure = true;

    await expect(list.execute()).rejects.toThrow('database unavailable');
    expect((await list.execute()).map((w) => w.code)).toEqual(['DUB', 'FRA']);
    expect(inv.store.ensureCalls).toBe(2);
  });

  it("inside a caller's transaction, creates missing warehouses there and does not remember them (it may roll back)", async () => {
    const inv = inMemoryInventory();
    const list = new ListWarehouses(inv.deps);

    expect((await list.execute(CALLER_TX)).map((w) => w.code)).toEqual(['DUB', 'FRA']);
    inv.store.warehouses.length = 0; // the caller's transaction rolled back

    expect((await list.execute()).map((w) => w.code)).toEqual(['DUB', 'FRA']);
    expect(inv.store.ensureCalls).toBe(2);
  });

  it("inside a caller's transaction, remembers them once they are all found committed", async () => {
    const inv = inMemoryInventory();
    await inv.store.ensureWarehouses('eu', inv.deps.region.warehouses);
    const list = new ListWarehouses(inv.deps);

    await list.execute(CALLER_TX);
    await list.execute();

    expect(inv.store.ensureCalls).toBe(1);
  });
});
