import { EntitySchema } from 'typeorm';
import { type StatusHistoryTable, statusHistoryEntitySchema } from '../../../platform/db/status-history.js';

/**
 * Row shapes of the returns tables (migrations/1763700001900-returns.ts). The repository reads and
 * writes them with parameterised SQL; these schemas tell TypeORM, and the ownership check of
 * test/unit/contexts.test.ts, which tables are ours.
 */
export interface ReturnRow {
  id: string;
  orderId: string;
  orderNumber: string;
  seq: number;
  number: string;
  customerId: string | null;
  currency: string;
  status: string;
  lines: unknown[];
  exchange: unknown[];
  note: string | null;
  refundDue: string | null;
  refundAmount: string | null;
  refundId: string | null;
  refundAttempts: number;
  refundOpen: boolean;
  replacementOrderId: string | null;
  warehouseId: string | null;
  receipt: unknown[];
  createdAt: Date;
  updatedAt: Date;
  version: number;
}

const ts = { type: 'timestamptz' as const };

export const ReturnSchema = new EntitySchema<ReturnRow>({
  name: 'ReturnsReturn',
  tableName: 'returns_returns',
  columns: {
    id: { type: 'uuid', primary: true },
    orderId: { type: 'uuid', name: 'order_id' },
    orderNumber: { type: 'text', name: 'order_number' },
    seq: { type: 'int' },
    number: { type: 'text' },
    customerId: { type: 'uuid', name: 'customer_id', nullable: true },
    currency: { type: 'char', length: 3 },
    status: { type: 'text' },
    lines: { type: 'jsonb' },
    exchange: { type: 'jsonb' },
    note: { type: 'text', nullable: true },
    refundDue: { type: 'bigint', name: 'refund_due', nullable: true },
    refundAmount: { type: 'bigint', name: 'refund_amount', nullable: true },
    refundId: { type: 'uuid', name: 'refund_id', nullable: true },
    refundAttempts: { type: 'int', name: 'refund_attempts' },
    refundOpen: { type: 'boolean', name: 'refund_open' },
    replacementOrderId: { type: 'uuid', name: 'replacement_order_id', nullable: true },
    warehouseId: { type: 'uuid', name: 'warehouse_id', nullable: true },
    receipt: { type: 'jsonb' },
    createdAt: { ...ts, name: 'created_at' },
    updatedAt: { ...ts, name: 'updated_at' },
    version: { type: 'int' },
  },
});

/** A return's history (one row per move or note; platform/db/status-history.ts). */
export const RETURN_HISTORY: StatusHistoryTable = {
  table: 'returns_return_history',
  ownerColumn: 'return_id',
};

export const ReturnHistorySchema = statusHistoryEntitySchema(
  'ReturnsReturnHistory',
  RETURN_HISTORY,
  'returnId',
);

export const RETURNS_ENTITIES = [ReturnSchema, ReturnHistorySchema];
