/**
 * The integration events of orders (docs/product/events.md): versioned zod schemas, ids and facts only, never
 * personal data. Public through `contract.ts`.
 */
import { z } from 'zod';
import { eventType } from '../../platform/messaging/integration-event.js';
import type { OrderStatus } from './order.view.js';

export const ORDERS_CONTEXT = 'orders';

export const orderPlacedV1 = z.object({
  orderId: z.uuid(),
  number: z.string(),
  customerId: z.uuid().optional(),
  currency: z.string().length(3),
  /** integer minor units */
  total: z.number().int(),
  lines: z.array(
    z.object({ sku: z.string(), quantity: z.number().int().positive(), unitPrice: z.number().int() }),
  ),
});
/** OrderConfirmed, OrderCancelled, OrderShipped, OrderDelivered, OrderCompleted */
export const orderStatusChangedV1 = z.object({
  orderId: z.uuid(),
  number: z.string(),
  reason: z.string().optional(),
});
export type OrderPlacedV1 = z.infer<typeof orderPlacedV1>;
export type OrderStatusChangedV1 = z.infer<typeof orderStatusChangedV1>;

export const OrderEventTypes = {
  OrderPlaced: eventType(ORDERS_CONTEXT, 'OrderPlaced'),
  OrderConfirmed: eventType(ORDERS_CONTEXT, 'OrderConfirmed'),
  OrderCancelled: eventType(ORDERS_CONTEXT, 'OrderCancelled'),
  OrderShipped: eventType(ORDERS_CONTEXT, 'OrderShipped'),
  OrderDelivered: eventType(ORDERS_CONTEXT, 'OrderDelivered'),
  OrderCompleted: eventType(ORDERS_CONTEXT, 'OrderCompleted'),
} as const;

/** The event a move into each status writes (none for CREATED, PAYMENT_PENDING, PAYMENT_AUTHORIZED, PROCESSING). */
export const EVENT_OF_STATUS: Partial<Record<OrderStatus, string>> = {
  CONFIRMED: OrderEventTypes.OrderConfirmed,
  CANCELLED: OrderEventTypes.OrderCancelled,
  SHIPPED: OrderEventTypes.OrderShipped,
  DELIVERED: OrderEventTypes.OrderDelivered,
  COMPLETED: OrderEventTypes.OrderCompleted,
};
