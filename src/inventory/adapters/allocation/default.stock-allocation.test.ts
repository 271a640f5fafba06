import { describe, expect, it } from 'vitest';
import { DefaultStockAllocation } from './default.stock-allocation.js';

const warehouses = [
  { id: 'w-dub', code: 'DUB', name: 'Dublin' },
  { id: 'w-fra', code: 'FRA', name: 'Frankfurt' },
  { id: 'w-mad', code: 'MAD', name: 'Madrid' },
];
const level = (sku: string, warehouseId: string, onHand: number, reserved = 0) => ({
  sku,
  warehouseId,
  onHand,
  reserved,
});
const policy = new DefaultStockAllocation();

describe('default stock allocation', () => {
  it('ships from one warehouse that has every line, preferring the one with most stock', () => {
    const stock = [
      level('A', 'w-dub', 5),
      level('B', 'w-dub', 5),
      level('A', 'w-fra', 9),
      level('B', 'w-fra', 3),
    ];
    expect(
      policy.allocate({
        lines: [
          { sku: 'A', quantity: 2 },
          { sku: 'B', quantity: 3 },
        ],
        warehouses,
        stock,
      }),
    ).toEqual([
      { sku: 'A', warehouseId: 'w-fra', quantity: 2 },
      { sku: 'B', warehouseId: 'w-fra', quantity: 3 },
    ]);
  });

  it('breaks ties by warehouse code and counts reserved units as gone', () => {
    const stock = [level('A', 'w-fra', 4), level('A', 'w-dub', 4), level('A', 'w-mad', 10, 6)];
    expect(policy.allocate({ lines: [{ sku: 'A', quantity: 4 }], warehouses, stock })).toEqual([
      { sku: 'A', warehouseId: 'w-dub', quantity: 4 },
    ]);
  });

  it('prefers a single warehouse over a split even when another has more of one SKU', () => {
    const stock = [level('A', 'w-fra', 50), level('A', 'w-dub', 1), level('B', 'w-dub', 1)];
    expect(
      policy.allocate({
        lines: [
          { sku: 'A', quantity: 1 },
          { sku: 'B', quantity: 1 },
        ],
        warehouses,
        stock,
      }),
    ).toEqual([
      { sku: 'A', warehouseId: 'w-dub', quantity: 1 },
      { sku: 'B', warehouseId: 'w-dub', quantity: 1 },
    ]);
  });

  it('otherwise splits over the fewest warehouses, largest coverage first', () => {
    const stock = [
      level('A', 'w-dub', 1),
      level('B', 'w-dub', 1),
      level('A', 'w-fra', 3),
      level('B', 'w-fra', 1),
      level('B', 'w-mad', 5),
    ];
    const lines = [
      { sku: 'A', quantity: 3 },
      { sku: 'B', quantity: 4 },
    ];
    const result = policy.allocate({ lines, warehouses, stock });
    expect(new Set(result.map((r) => r.warehouseId))).toEqual(new Set(['w-fra', 'w-mad']));
    expect(result).toEqual([
      { sku: 'A', warehouseId: 'w-fra', quantity: 3 },
      { sku: 'B', warehouseId: 'w-fra', quantity: 1 },
      { sku: 'B', warehouseId: 'w-mad', quantity: 3 },
    ]);
    for (const l of lines) {
      expect(result.filter((r) => r.sku === l.sku).reduce((s, r) => s + r.quantity, 0)).toBe(l.quantity);
    }
  });

  it('splits one SKU across warehouses when no single one has enough', () => {
    const stock = [level('A', 'w-fra', 30), level('A', 'w-dub', 20)];
    expect(policy.allocate({ lines: [{ sku: 'A', quantity: 45 }], warehouses, stock })).toEqual([
      { sku: 'A', warehouseId: 'w-fra', quantity: 30 },
      { sku: 'A', warehouseId: 'w-dub', quantity: 15 },
    ]);
  });
});
