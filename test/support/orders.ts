import { randomUUID } from 'node:crypto';
import type { DataSource } from 'typeorm';
import type {
  NewOrder,
  NewOrderLine,
  OrderActor,
  OrderSnapshot,
  OrdersFacade,
} from '../../src/orders/contract.js';
import { asHandle } from '../../src/platform/db/typeorm-unit-of-work.js';

let seq = 0;

/** A line whose amounts add up the way pricing computes them (subtotal, discount, line total). */
export const orderLine = (over: Partial<NewOrderLine> & { sku?: string } = {}): NewOrderLine => {
  const quantity = over.quantity ?? 2;
  const unitPrice = over.unitPrice ?? 1250;
  const subtotal = unitPrice * quantity;
  const discount = over.discount ?? 0;
  return {
    sku: over.sku ?? `SKU-${++seq}`,
    name: over.name ?? 'Test thing',
    quantity,
    unitPrice,
    subtotal,
    discount,
    lineTotal: subtotal - discount,
    tax: over.tax ?? Math.round(((subtotal - discount) * 20) / 120),
  };
};

/**
 * What checkout would hand to `orders.place`: a priced order (tax included, EUR) for a customer, or a
 * guest when `customerId` is null. The totals are derived from the lines.
 */
export const newOrder = (
  over: Partial<Omit<NewOrder, 'lines'>> & { lines?: NewOrderLine[] } = {},
): NewOrder => {
  const lines = over.lines ?? [orderLine(), orderLine({ quantity: 1, unitPrice: 499 })];
  const subtotal = lines.reduce((a, l) => a + l.subtotal, 0);
  const discount = lines.reduce((a, l) => a + l.discount, 0);
  const lineTotals = lines.reduce((a, l) => a + l.lineTotal, 0);
  const tax = lines.reduce((a, l) => a + l.tax, 0);
  const shipping = over.shipping ?? 495;
  const taxMode = over.taxMode ?? 'inclusive';
  return {
    id: randomUUID(),
    cartId: randomUUID(),
    customerId: randomUUID(),
    email: `buyer${++seq}@orders.example`,
    currency: 'EUR',
    promotionCode: null,
    shippingAddress: {
      name: 'Ada Lovelace',
      line1: '12 Analytical Row',
      line2: null,
      city: 'Dublin',
      postalCode: 'D02 X285',
      country: 'IE',
      phone: '+353 1 555 0100',
    },
    shippingOption: { code: 'standard', name: 'Standard (3-5 days)' },
    ...over,
    taxMode,
    lines,
    subtotal,
    discount,
    shipping,
    tax,
    total: lineTotals + shipping + (taxMode === 'exclusive' ? tax : 0),
  };
};

/** The actor checkout would pass for this order: its customer, or a guest. */
export const actorOf = (order: NewOrder): OrderActor =>
  order.customerId ? { kind: 'customer', id: order.customerId } : { kind: 'guest' };

/** Places the order through the facade in a transaction of its own, as checkout's first step would. */
export const placeOrder = (
  dataSource: DataSource,
  orders: OrdersFacade,
  order: NewOrder,
  actor: OrderActor = actorOf(order),
): Promise<OrderSnapshot> => dataSource.transaction((m) => orders.place(order, actor, asHandle(m)));
