import { EntitySchema } from 'typeorm';
import { type StatusHistoryTable, statusHistoryEntitySchema } from '../../../platform/db/status-history.js';

/**
 * Row shapes of the orders tables (migrations/1763700001000-orders.ts, 1763700001700-orders-notes.ts). The repository reads and
 * writes them with parameterised SQL and maps them to the Order aggregate (order.mapper.ts); these
 * schemas tell TypeORM, and the ownership check of test/unit/contexts.test.ts, which tables are ours.
 */
export interface OrderRow {
  id: string;
  number: string;
  status: string;
  cartId: string;
  customerId: string | null;
  email: string | null;
  currency: string;
  taxMode: string;
  subtotal: string;
  discount: string;
  shipping: string;
  tax: string;
  total: string;
  promotionCode: string | null;
  shippingAddress: Record<string, unknown> | null;
  shippingOptionCode: string;
  shippingOptionName: string;
  createdAt: Date;
  updatedAt: Date;
  statusChangedAt: Date;
  erasedAt: Date | null;
  version: number;
}

export interface OrderLineRow {
  orderId: string;
  position: number;
  sku: string;
  name: string;
  quantity: number;
  unitPrice: string;
  subtotal: string;
  discount: string;
  lineTotal: string;
  tax: string;
}

export interface OrderNoteRow {
  orderId: string;
  position: number;
  at: Date;
  text: string;
  actorKind: string;
  actorId: string | null;
}

const ts = { type: 'timestamptz' as const };
const minor = { type: 'bigint' as const };

export const OrderSchema = new EntitySchema<OrderRow>({
  name: 'OrdersOrder',
  tableName: 'orders_orders',
  columns: {
    id: { type: 'uuid', primary: true },
    number: { type: 'text', unique: true },
    status: { type: 'text' },
    cartId: { type: 'uuid', name: 'cart_id' },
    customerId: { type: 'uuid', name: 'customer_id', nullable: true },
    email: { type: 'text', nullable: true },
    currency: { type: 'char', length: 3 },
    taxMode: { type: 'text', name: 'tax_mode' },
    subtotal: minor,
    discount: minor,
    shipping: minor,
    tax: minor,
    total: minor,
    promotionCode: { type: 'text', name: 'promotion_code', nullable: true },
    shippingAddress: { type: 'jsonb', name: 'shipping_address', nullable: true },
    shippingOptionCode: { type: 'text', name: 'shipping_option_code' },
    shippingOptionName: { type: 'text', name: 'shipping_option_name' },
    createdAt: { ...ts, name: 'created_at' },
    updatedAt: { ...ts, name: 'updated_at' },
    statusChangedAt: { ...ts, name: 'status_changed_at' },
    erasedAt: { ...ts, name: 'erased_at', nullable: true },
    version: { type: 'int' },
  },
});

export const OrderLineSchema = new EntitySchema<OrderLineRow>({
  name: 'OrdersLine',
  tableName: 'orders_lines',
  columns: {
    orderId: { type: 'uuid', primary: true, name: 'order_id' },
    position: { type: 'smallint', primary: true },
    sku: { type: 'text' },
    name: { type: 'text' },
    quantity: { type: 'int' },
    unitPrice: { ...minor, name: 'unit_price' },
    subtotal: minor,
    discount: minor,
    lineTotal: { ...minor, name: 'line_total' },
    tax: minor,
  },
});

/** The order's status history (one row per move; platform/db/status-history.ts). */
export const ORDER_HISTORY: StatusHistoryTable = { table: 'orders_status_history', ownerColumn: 'order_id' };

export const OrderHistorySchema = statusHistoryEntitySchema('OrdersStatusHistory', ORDER_HISTORY, 'orderId');

/** Notes on an order that did not move it (migrations/1763700001700-orders-notes.ts). */
export const OrderNoteSchema = new EntitySchema<OrderNoteRow>({
  name: 'OrdersNote',
  tableName: 'orders_notes',
  columns: {
    orderId: { type: 'uuid', primary: true, name: 'order_id' },
    position: { type: 'smallint', primary: true },
    at: ts,
    text: { type: 'text' },
    actorKind: { type: 'text', name: 'actor_kind' },
    actorId: { type: 'uuid', name: 'actor_id', nullable: true },
  },
});

export const ORDERS_ENTITIES = [OrderSchema, OrderLineSchema, OrderHistorySchema, OrderNoteSchema];
