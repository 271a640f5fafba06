import { describe, expect, it } from 'vitest';
import { checkoutWorld, SHOPPER, WAREHOUSE } from '../../../test/support/in-memory/checkout.facades.js';
import { callerTx } from '../../../test/support/in-memory/orders.deps.js';
import { FulfilmentEventTypes, type ShipmentSummary } from '../../fulfilment/contract.js';
import { ConflictError, NotFoundError } from '../../platform/errors.js';
import type { IntegrationEvent } from '../../platform/messaging/integration-event.js';
import { FollowShipments } from './follow-shipments.use-case.js';
import { PlaceOrder } from './place-order.use-case.js';

const SHIPMENT = '3a4b5c6d-7e8f-4a9b-8c7d-6e5f4a3b2c1d';
const OTHER_SHIPMENT = '5c6d7e8f-9a0b-4c1d-8e2f-3a4b5c6d7e8f';

const shipmentEvent = (type: string, orderId: string, shipmentId = SHIPMENT): IntegrationEvent =>
  ({
    id: '0e1f2a3b-4c5d-4e6f-8a7b-9c0d1e2f3a4b',
    context: 'fulfilment',
    type,
    source: 'urn:shopcore:eu:fulfilment',
    subject: shipmentId,
    time: '2026-03-01T10:15:00.000Z',
    data: { shipmentId, orderId, warehouseId: WAREHOUSE, status: 'dispatched', trackingNumber: 'TRK-1' },
  }) as unknown as IntegrationEvent;

const shipment = (status: ShipmentSummary['status'], id = SHIPMENT): ShipmentSummary => ({
  id,
  status,
  warehouseId: WAREHOUSE,
  trackingNumber: status === 'pending' || status === 'picked' ? null : 'TRK-1',
  lines: [{ sku: 'SKU-1', quantity: 1 }],
  deliveredAt: status === 'delivered' ? new Date('2026-03-02T10:00:00Z') : null,
});

/** An order checked out through the real PlaceOrder over the fakes: CONFIRMED, stock reserved in its warehouse. */
const confirmedOrder = async () => {
  const w = checkoutWorld();
  const { order } = await new PlaceOrder(w.deps).execute({
    cartId: w.readyCart(),
    token: 'tok_visa',
    customerId: SHOPPER,
  });
  const orderId = order.id;
  w.journal.length = 0;
  return { w, orderId, follow: new FollowShipments(w.deps) };
};

describe('FollowShipments', () => {
  it('a dispatch takes the units off the shelf of its warehouse, ships the order and makes the capture due', async () => {
    const { w, orderId, follow } = await confirmedOrder();
    w.shipments.set(orderId, [shipment('dispatched')]);
    await follow.execute(shipmentEvent(FulfilmentEventTypes.ShipmentDispatched, orderId), callerTx());
    expect(w.journal).toEqual([
      `inventory.ship ${orderId} ${WAREHOUSE}`,
      `payments.requestCapture ${orderId}`,
    ]);
    const order = await w.deps.orders.get(orderId);
    expect(order?.status).toBe('SHIPPED');
    expect(order?.history.at(-1)?.reason).toBe('dispatched (tracking TRK-1)');
  });

  it('a redelivered dispatch moves nothing and makes no second capture due', async () => {
    const { w, orderId, follow } = await confirmedOrder();
    w.shipments.set(orderId, [shipment('dispatched')]);
    const event = shipmentEvent(FulfilmentEventTypes.ShipmentDispatched, orderId);
    await follow.execute(event, callerTx());
    const historyLength = (await w.deps.orders.get(orderId))?.history.length;
    await follow.execute(event, callerTx());
    expect(w.journal.filter((c) => c.startsWith('payments.requestCapture'))).toHaveLength(1);
    expect((await w.deps.orders.get(orderId))?.history.length).toBe(historyLength);
  });

  it('a pick before any dispatch moves CONFIRMED to PROCESSING and takes no stock', async () => {
    const { w, orderId, follow } = await confirmedOrder();
    w.shipments.set(orderId, [shipment('picked')]);
    await follow.execute(shipmentEvent(FulfilmentEventTypes.ShipmentPicked, orderId), callerTx());
    expect(w.journal).toEqual([]);
    expect((await w.deps.orders.get(orderId))?.status).toBe('PROCESSING');
  });

  it('the order is delivered only once every shipment is delivered', async () => {
    const { w, orderId, follow } = await confirmedOrder();
    w.shipments.set(orderId, [shipment('delivered'), shipment('dispatched', OTHER_SHIPMENT)]);
    await follow.execute(shipmentEvent(FulfilmentEventTypes.ShipmentDelivered, orderId), callerTx());
    expect((await w.deps.orders.get(orderId))?.status).toBe('SHIPPED');
    w.shipments.set(orderId, [shipment('delivered'), shipment('delivered', OTHER_SHIPMENT)]);
    await follow.execute(
      shipmentEvent(FulfilmentEventTypes.ShipmentDelivered, orderId, OTHER_SHIPMENT),
      callerTx(),
    );
    expect((await w.deps.orders.get(orderId))?.status).toBe('DELIVERED');
  });

  it('cancelled shipments do not count, and an order with none left is not moved', async () => {
    const { w, orderId, follow } = await confirmedOrder();
    w.shipments.set(orderId, [shipment('cancelled')]);
    await follow.execute(shipmentEvent(FulfilmentEventTypes.ShipmentPicked, orderId), callerTx());
    expect((await w.deps.orders.get(orderId))?.status).toBe('CONFIRMED');
  });

  it('a shipment that left for a cancelled order is logged as an error and the order stays cancelled', async () => {
    const { w, orderId, follow } = await confirmedOrder();
    await w.deps.orders.transition(orderId, 'CANCELLED', { actor: { kind: 'system' } }, callerTx());
    w.shipments.set(orderId, [shipment('delivered')]);
    await follow.execute(shipmentEvent(FulfilmentEventTypes.ShipmentDelivered, orderId), callerTx());
    expect(w.logged).toContain('error: a shipment of a cancelled order left the warehouse');
    expect((await w.deps.orders.get(orderId))?.status).toBe('CANCELLED');
  });

  it('a dispatch for an order that holds no reservation is a conflict (retried, then parked), the order unmoved', async () => {
    const { w, orderId, follow } = await confirmedOrder();
    await w.deps.inventory.release(orderId, 'test', callerTx());
    w.shipments.set(orderId, [shipment('dispatched')]);
    await expect(
      follow.execute(shipmentEvent(FulfilmentEventTypes.ShipmentDispatched, orderId), callerTx()),
    ).rejects.toBeInstanceOf(ConflictError);
    expect((await w.deps.orders.get(orderId))?.status).toBe('CONFIRMED');
  });

  it('an event for an order that does not exist is refused as not found', async () => {
    const { follow } = await confirmedOrder();
    await expect(
      follow.execute(
        shipmentEvent(FulfilmentEventTypes.ShipmentDispatched, '7b6a5c4d-3e2f-4a1b-9c8d-7e6f5a4b3c2d'),
        callerTx(),
      ),
    ).rejects.toBeInstanceOf(NotFoundError);
  });
});
