import { describe, expect, it } from 'vitest';
import { inMemoryInventory } from '../../../test/support/in-memory/inventory.repositories.js';
import { ConflictError, NotFoundError, ValidationError } from '../../platform/errors.js';
import { newId } from '../../platform/ids.js';
import { InventoryEventTypes } from '../contract.js';
import { AdjustStock } from './adjust-stock.use-case.js';
import { GetAvailability } from './get-availability.query.js';
import { ReserveStock } from './reserve-stock.use-case.js';

const setup = (opts: Parameters<typeof inMemoryInventory>[0] = {}) => {
  const inv = inMemoryInventory(opts);
  return { ...inv, adjust: new AdjustStock(inv.deps, inv.warehouses) };
};

describe('AdjustStock', () => {
  it('changes on hand, writes the ledger row with the actor and the trimmed reason, and StockAdjusted', async () => {
    const { adjust, warehouse, store, uow, clock } = setup();
    const fra = await warehouse('FRA');

    const movement = await adjust.execute(
      { sku: 'SKU-A', warehouseId: fra.id, delta: 7, reason: ' received ' },
      'staff-1',
    );

    expect(movement).toMatchObject({
      sku: 'SKU-A',
      warehouseId: fra.id,
      kind: 'adjustment',
      delta: 7,
      reservedDelta: 0,
      reason: 'received',
      actor: 'staff-1',
      orderId: null,
      onHandAfter: 7,
      reservedAfter: 0,
      createdAt: clock.now(),
    });
    expect(store.level('SKU-A', fra.id)).toEqual({ onHand: 7, reserved: 0 });
    expect(store.ledger).toEqual([{ ...movement, seq: '1' }]);
    expect(uow.eventTypes()).toEqual([InventoryEventTypes.StockAdjusted]);
    expect(uow.events[0]?.data).toEqual({
      sku: 'SKU-A',
      warehouseId: fra.id,
      delta: 7,
      onHand: 7,
      reason: 'received',
    });
  });

  it('refuses with 409 an adjustment that would leave less on hand than is reserved, writing nothing', async () => {
    const inv = setup();
    const { adjust, warehouse, store, uow, stockUp } = inv;
    const fra = await warehouse('FRA');
    await stockUp('SKU-A', { FRA: 5 });
    await new ReserveStock(inv.deps, inv.warehouses, inv.background).execute(newId(), [
      { sku: 'SKU-A', quantity: 3 },
    ]);
    const events = uow.events.length;

    await expect(
      adjust.execute({ sku: 'SKU-A', warehouseId: fra.id, delta: -3, reason: 'broken' }, 'staff-1'),
    ).rejects.toBeInstanceOf(ConflictError);
    expect(store.level('SKU-A', fra.id)).toEqual({ onHand: 5, reserved: 3 });
    expect(uow.events).toHaveLength(events);

    await adjust.execute({ sku: 'SKU-A', warehouseId: fra.id, delta: -2, reason: 'broken' }, 'staff-1');
    expect(store.level('SKU-A', fra.id)).toEqual({ onHand: 3, reserved: 3 });
  });

  it('refuses with 409 taking units from a SKU that has none', async () => {
    const { adjust, warehouse } = setup();
    const fra = await warehouse('FRA');
    await expect(
      adjust.execute({ sku: 'SKU-A', warehouseId: fra.id, delta: -1, reason: 'lost' }, 'staff-1'),
    ).rejects.toBeInstanceOf(ConflictError);
  });

  it('refuses with 400 a warehouse that is not one of the region, naming the field', async () => {
    const { adjust } = setup();
    const err = await adjust
      .execute({ sku: 'SKU-A', warehouseId: newId(), delta: 1, reason: 'x' }, 'staff-1')
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ValidationError);
    expect((err as ValidationError).errors).toEqual([
      { path: 'warehouseId', message: 'is not a warehouse of this region' },
    ]);
  });

  it('refuses with 400 a zero delta, a blank reason and a malformed SKU, listing every field', async () => {
    const { adjust, warehouse } = setup();
    const fra = await warehouse('FRA');
    const err = await adjust
      .execute({ sku: '-bad', warehouseId: fra.id, delta: 0, reason: '  ' }, 'staff-1')
      .catch((e: unknown) => e);
    expect((err as ValidationError).errors?.map((e) => e.path)).toEqual(['sku', 'delta', 'reason']);
  });

  it('refuses with 404 a SKU the catalog does not know', async () => {
    const { adjust, warehouse, store } = setup({ knownSkus: ['SKU-A'] });
    const fra = await warehouse('FRA');
    await expect(
      adjust.execute({ sku: 'SKU-Z', warehouseId: fra.id, delta: 1, reason: 'x' }, 'staff-1'),
    ).rejects.toBeInstanceOf(NotFoundError);
    expect(store.stock.size).toBe(0);
  });

  it('forgets the cached availability of the SKU once the adjustment committed', async () => {
    const inv = setup({ cache: true });
    const availability = new GetAvailability(inv.deps, inv.warehouses);
    const fra = await inv.warehouse('FRA');
    expect((await availability.execute(['SKU-A'])).get('SKU-A')).toBe(0); // cached

    await inv.adjust.execute({ sku: 'SKU-A', warehouseId: fra.id, delta: 4, reason: 'received' }, 'staff-1');

    expect((await availability.execute(['SKU-A'])).get('SKU-A')).toBe(4);
  });
});
