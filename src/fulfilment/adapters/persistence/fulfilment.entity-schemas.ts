import { EntitySchema } from 'typeorm';
import { STATUS_HISTORY_COLUMNS } from '../../../platform/db/status-history.js';

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

export interface ShipmentHistoryRow {
  shipmentId: string;
  position: number;
  fromStatus: string | null;
  status: string;
  at: Date;
  reason: string | null;
  actorKind: string;
  actorId: string | null;
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

export const ShipmentHistorySchema = new EntitySchema<ShipmentHistoryRow>({
  name: 'FulfilmentShipmentHistory',
  tableName: 'fulfilment_shipment_history',
  columns: {
    shipmentId: { type: 'uuid', primary: true, name: 'shipment_id' },
    ...STATUS_HISTORY_COLUMNS,
  },
});

export const FULFILMENT_ENTITIES = [ShipmentSchema, ShipmentHistorySchema];
