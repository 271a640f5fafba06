import { EntitySchema } from 'typeorm';
import { type StatusHistoryTable, statusHistoryEntitySchema } from '../../../platform/db/status-history.js';

/**
 * Row shapes of the fulfilment tables (migrations/1763700001400-fulfilment.ts). The repository reads
 * and writes them with parameterised SQL; these schemas tell TypeORM, and the ownership check of
 * test/unit/contexts.test.ts, which tables are ours.
 */
export interface ShipmentRow {
  id: string;
  orderId: string;
  orderNumber: string;
  warehouseId: string;
  status: string;
  lines: { sku: string; quantity: number }[];
  carrier: string | null;
  trackingNumber: string | null;
  createdAt: Date;
  updatedAt: Date;
  version: number;
}

const ts = { type: 'timestamptz' as const };

export const ShipmentSchema = new EntitySchema<ShipmentRow>({
  name: 'FulfilmentShipment',
  tableName: 'fulfilment_shipments',
  columns: {
    id: { type: 'uuid', primary: true },
    orderId: { type: 'uuid', name: 'order_id' },
    orderNumber: { type: 'text', name: 'order_number' },
    warehouseId: { type: 'uuid', name: 'warehouse_id' },
    status: { type: 'text' },
    lines: { type: 'jsonb' },
    carrier: { type: 'text', nullable: true },
    trackingNumber: { type: 'text', name: 'tracking_number', nullable: true },
    createdAt: { ...ts, name: 'created_at' },
    updatedAt: { ...ts, name: 'updated_at' },
    version: { type: 'int' },
  },
});

/** A shipment's status history (one row per step; platform/db/status-history.ts). */
export const SHIPMENT_HISTORY: StatusHistoryTable = {
  table: 'fulfilment_shipment_history',
  ownerColumn: 'shipment_id',
};

export const ShipmentHistorySchema = statusHistoryEntitySchema(
  'FulfilmentShipmentHistory',
  SHIPMENT_HISTORY,
  'shipmentId',
);

export const FULFILMENT_ENTITIES = [ShipmentSchema, ShipmentHistorySchema];
