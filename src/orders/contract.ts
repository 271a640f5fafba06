/**
 * The orders context's public surface, the one file other contexts import: its integration events
 * (contract/orders.events.ts), the order as they see it (contract/order.view.ts), the facade checkout
 * and fulfilment call (contract/orders-facade.port.ts), and the `Order` response schema checkout's
 * routes answer with (adapters/http/orders.schemas.ts: one `Order` in the OpenAPI document). Orders
 * owns the order aggregate, its state machine, status history, numbers and the order views of docs/product/api.md;
 * checkout (src/checkout) orchestrates placing, cancelling and refunding across contexts.
 */
export { orderViewSchema } from './adapters/http/orders.schemas.js';
export * from './contract/order.view.js';
export * from './contract/orders.events.js';
export type * from './contract/orders-facade.port.js';
