import { describe, expect, it } from 'vitest';
import { inMemoryInventory } from '../../../test/support/in-memory/inventory.repositories.js';
import { newId } from '../../platform/ids.js';
import { GetAllocation } from './get-allocation.query.js';
import { ReleaseReservation } from './release-reservation.use-case.js';
import { ReserveStock } from './reserve-stock.use-case.js';
import { ShipReservation } from './ship-reservation.use-case.js';

const setup = async () => {
  const inv = inMemoryInventory();
  await inv.stockUp('SKU-B', { FRA: 2 });
  await inv.stockUp('SKU-A', { DUB: 2 });
  const orderId = newId();
  await new ReserveStock(inv.deps, inv.warehouses, inv.background).execute(orderId, [
    { sku: 'SKU-B', quantity: 1 },
    { sku: 'SKU-A', quantity: 2 },
  ]);
  return { ...inv, orderId, allocation: new GetAllocation(inv.deps) };
};

describe('GetAllocation', () => {
  it("lists what the order's reservation allocated, by SKU and warehouse, shipped lines included", async () => {
    const { allocation, orderId, deps, warehouse } = await setup();
    const [fra, dub] = [await warehouse('FRA'), await warehouse('DUB')];
    await new ShipReservation(deps).execute(orderId, dub.id);

    expect(await allocation.execute(orderId)).toEqual([
      { sku: 'SKU-A', warehouseId: dub.id, quantity: 2 },
      { sku: 'SKU-B', warehouseId: fra.id, quantity: 1 },
    ]);
  });

  it('is empty once the reservation was released, for an order without one, and for a bad id', async () => {
    const { allocation, orderId, deps } = await setup();
    await new ReleaseReservation(deps).execute(orderId, 'cancelled');
    expect(await allocation.execute(orderId)).toEqual([]);
    expect(await allocation.execute(newId())).toEqual([]);
    expect(await allocation.execute('nope')).toEqual([]);
  });
});
