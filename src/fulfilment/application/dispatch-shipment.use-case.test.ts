import { describe, expect, it } from 'vitest';
import {
  callerTx,
  confirmedOrder,
  type InMemoryFulfilment,
  inMemoryFulfilment,
} from '../../../test/support/in-memory/fulfilment.deps.js';
import { IllegalStateTransitionError, UnavailableError } from '../../platform/errors.js';
import { FulfilmentEventTypes } from '../contract.js';
import { OrderNotShippableError, ShippingAddressErasedError } from '../domain/fulfilment.errors.js';
import { AdvanceShipment } from './advance-shipment.use-case.js';
import { CreateShipments } from './create-shipments.use-case.js';
import { DispatchShipment } from './dispatch-shipment.use-case.js';

const staff = { kind: 'staff' as const, id: '8e7d6c5b-4a39-4281-9f0e-1d2c3b4a5968' };

/** A confirmed order's first shipment, picked and packed; the outbox, counts and bookings emptied. */
const packedShipment = async (f: InMemoryFulfilment) => {
  const orderId = await confirmedOrder(f);
  const [shipment] = await new CreateShipments(f.deps).execute(orderId, callerTx());
  const advance = new AdvanceShipment(f.deps, f.stepper);
  await advance.execute(shipment!.id, 'pick', staff);
  await advance.execute(shipment!.id, 'pack', staff);
  f.uow.events.length = 0;
  f.counted.length = 0;
  return { orderId, shipmentId: shipment!.id };
};

describe('DispatchShipment', () => {
  it('books the parcel with the carrier under the key <shipmentId>:dispatch, then dispatches it with the tracking number', async () => {
    const f = inMemoryFulfilment();
    const { shipmentId } = await packedShipment(f);
    const view = await new DispatchShipment(f.deps, f.stepper).execute(shipmentId, staff);
    expect(view).toMatchObject({ status: 'dispatched', carrier: 'scripted', trackingNumber: 'TRK-1' });
    expect(f.carrier.bookings).toEqual([
      expect.objectContaining({
        idempotencyKey: `${shipmentId}:dispatch`,
        shipmentId,
        orderNumber: 'EU-000001',
        lines: [{ sku: 'SKU-1', quantity: 2 }],
        address: expect.objectContaining({ line1: '12 Analytical Row' }),
      }),
    ]);
    expect(f.uow.events.map((e) => [e.type, e.data.trackingNumber])).toEqual([
      [FulfilmentEventTypes.ShipmentDispatched, 'TRK-1'],
    ]);
    expect(f.counted).toEqual(['dispatched']);
  });

  it('answers 503 UNAVAILABLE when the carrier cannot be reached, and changes nothing', async () => {
    const f = inMemoryFulfilment();
    const { shipmentId } = await packedShipment(f);
    f.carrier.down = 'timeout';
    await expect(new DispatchShipment(f.deps, f.stepper).execute(shipmentId, staff)).rejects.toBeInstanceOf(
      UnavailableError,
    );
    expect(f.repos.shipments.rows.get(shipmentId)!.status).toBe('packed');
    expect(f.uow.events).toEqual([]);
  });

  it('gets the same label when dispatched again after the carrier came back', async () => {
    const f = inMemoryFulfilment();
    const { shipmentId } = await packedShipment(f);
    f.carrier.down = 'timeout';
    await expect(new DispatchShipment(f.deps, f.stepper).execute(shipmentId, staff)).rejects.toThrow();
    f.carrier.down = null;
    const view = await new DispatchShipment(f.deps, f.stepper).execute(shipmentId, staff);
    expect(view.trackingNumber).toBe('TRK-1');
    expect(f.carrier.bookings.map((b) => b.idempotencyKey)).toEqual([
      `${shipmentId}:dispatch`,
      `${shipmentId}:dispatch`,
    ]);
  });

  it('refuses a shipment that is not packed with 409, before the carrier is bothered', async () => {
    const f = inMemoryFulfilment();
    const orderId = await confirmedOrder(f);
    const [pending] = await new CreateShipments(f.deps).execute(orderId, callerTx());
    await expect(new DispatchShipment(f.deps, f.stepper).execute(pending!.id, staff)).rejects.toBeInstanceOf(
      IllegalStateTransitionError,
    );
    expect(f.carrier.bookings).toEqual([]);
  });

  it('refuses a shipment whose order was cancelled (409), before the carrier is bothered', async () => {
    const f = inMemoryFulfilment();
    const { orderId, shipmentId } = await packedShipment(f);
    await f.orders.facade.transition(orderId, 'CANCELLED', { actor: { kind: 'system' } }, callerTx());
    await expect(new DispatchShipment(f.deps, f.stepper).execute(shipmentId, staff)).rejects.toBeInstanceOf(
      OrderNotShippableError,
    );
    expect(f.carrier.bookings).toEqual([]);
  });

  it('refuses to dispatch a parcel whose address was erased with its customer (409), and books nothing', async () => {
    const f = inMemoryFulfilment();
    const { orderId, shipmentId } = await packedShipment(f);
    const customerId = f.orders.repos.orders.rows.get(orderId)!.customerId!;
    await f.orders.repos.orders.eraseCustomer(customerId, f.orders.clock.now());
    await expect(new DispatchShipment(f.deps, f.stepper).execute(shipmentId, staff)).rejects.toBeInstanceOf(
      ShippingAddressErasedError,
    );
    expect(f.carrier.bookings).toEqual([]);
  });
});
