import { EntitySchema } from 'typeorm';

/**
 * Row shapes of the inventory tables (migrations/1763700000500-inventory.ts). The repository works
 * with raw parameterised SQL for the locking and guarded updates; these schemas register the tables
 * with the data source.
 */
export interface WarehouseRow {
  id: string;
  region: string;
  code: string;
  name: string;
}

export interface StockRow {
  sku: string;
  warehouseId: string;
  onHand: number;
  reserved: number;
  updatedAt: Date;
}

const ts = { type: 'timestamptz' as const };

export const WarehouseSchema = new EntitySchema<WarehouseRow>({
  name: 'InventoryWarehouse',
  tableName: 'inventory_warehouses',
  columns: {
    id: { type: 'uuid', primary: true },
    region: { type: 'text' },
    code: { type: 'text' },
    name: { type: 'text' },
  },
});

export const StockSchema = new EntitySchema<StockRow>({
  name: 'InventoryStock',
  tableName: 'inventory_stock',
  columns: {
    sku: { type: 'text', primary: true },
    warehouseId: { type: 'uuid', primary: true, name: 'warehouse_id' },
    onHand: { type: 'int', name: 'on_hand' },
    reserved: { type: 'int' },
    updatedAt: { ...ts, name: 'updated_at' },
  },
});

export const INVENTORY_ENTITIES = [WarehouseSchema, StockSchema];
