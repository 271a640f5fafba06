import { describe, expect, it } from 'vitest';
import {
  callerTx,
  confirmedOrder,
  type InMemoryFulfilment,
  inMemoryFulfilment,
} from '../../../test/support/in-memory/fulfilment.deps.js';
import { IllegalStateTransitionError } from '../../platform/errors.js';
import { FulfilmentEventTypes } from '../contract.js';
import { OrderNotShippableError, ShipmentNotFoundError } from '../domain/fulfilment.errors.js';
import { AdvanceShipment } from './advance-shipment.use-case.js';
import { CreateShipments } from './create-shipments.use-case.js';
import { DispatchShipment } from './dispatch-shipment.use-case.js';

const staff = { kind: 'staff' as const, id: '8e7d6c5b-4a39-4281-9f0e-1d2c3b4a5968' };

/** A confirmed order's first shipment (pending); the outbox and counts emptied. */
const pendingShipment = async (f: InMemoryFulfilment) => {
  const orderId = await confirmedOrder(f);
  const [shipment] = await new CreateShipments(f.deps).execute(orderId, callerTx());
  f.uow.events.length = 0;
  f.counted.length = 0;
  return { orderId, shipmentId: shipment!.id };
};

describe('AdvanceShipment', () => {
  it('picks a pending shipment: picked, the staff member in its history, ShipmentPicked, counted', async () => {
    const f = inMemoryFulfilment();
    const { shipmentId } = await pendingShipment(f);
    const view = await new AdvanceShipment(f.deps, f.stepper).execute(shipmentId, 'pick', staff);
    expect(view.status).toBe('picked');
    expect(f.repos.shipments.rows.get(shipmentId)!.history.at(-1)).toMatchObject({
      status: 'picked',
      actor: staff,
    });
    expect(f.uow.eventTypes()).toEqual([FulfilmentEventTypes.ShipmentPicked]);
    expect(f.counted).toEqual(['picked']);
  });

  it('packs a picked shipment', async () => {
    const f = inMemoryFulfilment();
    const { shipmentId } = await pendingShipment(f);
    const advance = new AdvanceShipment(f.deps, f.stepper);
    await advance.execute(shipmentId, 'pick', staff);
    expect((await advance.execute(shipmentId, 'pack', staff)).status).toBe('packed');
  });

  it('refuses a step that is not the next one with 409 ILLEGAL_STATE_TRANSITION, and changes nothing', async () => {
    const f = inMemoryFulfilment();
    const { shipmentId } = await pendingShipment(f);
    const advance = new AdvanceShipment(f.deps, f.stepper);
    await expect(advance.execute(shipmentId, 'pack', staff)).rejects.toBeInstanceOf(
      IllegalStateTransitionError,
    );
    await expect(advance.execute(shipmentId, 'deliver', staff)).rejects.toBeInstanceOf(
      IllegalStateTransitionError,
    );
    expect(f.repos.shipments.rows.get(shipmentId)!.status).toBe('pending');
    expect(f.uow.events).toEqual([]);
  });

  it('refuses to pick a shipment whose order was cancelled (409), after locking the order first', async () => {
    const f = inMemoryFulfilment();
    const { orderId, shipmentId } = await pendingShipment(f);
    await f.orders.facade.transition(orderId, 'CANCELLED', { actor: { kind: 'system' } }, callerTx());
    f.orders.repos.orders.locks.length = 0;
    await expect(
      new AdvanceShipment(f.deps, f.stepper).execute(shipmentId, 'pick', staff),
    ).rejects.toBeInstanceOf(OrderNotShippableError);
    expect(f.orders.repos.orders.locks).toEqual([orderId]);
    expect(f.repos.shipments.locks).toEqual([]);
  });

  it('delivers a dispatched shipment whatever became of the order (the parcel has left)', async () => {
    const f = inMemoryFulfilment();
    const { orderId, shipmentId } = await pendingShipment(f);
    const advance = new AdvanceShipment(f.deps, f.stepper);
    await advance.execute(shipmentId, 'pick', staff);
    await advance.execute(shipmentId, 'pack', staff);
    await new DispatchShipment(f.deps, f.stepper).execute(shipmentId, staff);
    await f.orders.facade.transition(orderId, 'SHIPPED', { actor: { kind: 'system' } }, callerTx());
    await f.orders.facade.transition(orderId, 'DELIVERED', { actor: { kind: 'system' } }, callerTx());
    expect((await advance.execute(shipmentId, 'deliver', staff)).status).toBe('delivered');
  });

  it('answers 404 for an unknown shipment', async () => {
    const f = inMemoryFulfilment();
    await expect(
      new AdvanceShipment(f.deps, f.stepper).execute('3f6c1d2e-8a4b-4c5d-9e0f-1a2b3c4d5e6f', 'pick', staff),
    ).rejects.toBeInstanceOf(ShipmentNotFoundError);
  });
});
