import { describe, expect, it } from 'vitest';
import {
  callerTx,
  confirmedOrder,
  inMemoryFulfilment,
  WAREHOUSE_A,
  WAREHOUSE_B,
} from '../../../test/support/in-memory/fulfilment.deps.js';
import { placed } from '../../../test/support/in-memory/orders.deps.js';
import { NotFoundError } from '../../platform/errors.js';
import { FulfilmentEventTypes } from '../contract.js';
import { CreateShipments } from './create-shipments.use-case.js';

describe('CreateShipments', () => {
  it('creates one pending shipment per warehouse of the allocation, with its lines, in warehouse order', async () => {
    const f = inMemoryFulfilment();
    const orderId = await confirmedOrder(f);
    const created = await new CreateShipments(f.deps).execute(orderId, callerTx());
    expect(
      created.map((s) => {
        const x = s.snapshot();
        return [x.warehouseId, x.status, x.orderNumber, x.lines];
      }),
    ).toEqual([
      [WAREHOUSE_A, 'pending', 'EU-000001', [{ sku: 'SKU-1', quantity: 2 }]],
      [WAREHOUSE_B, 'pending', 'EU-000001', [{ sku: 'SKU-2', quantity: 1 }]],
    ]);
    expect(f.repos.shipments.rows.size).toBe(2);
  });

  it('writes ShipmentCreated for each and counts each as created', async () => {
    const f = inMemoryFulfilment();
    const orderId = await confirmedOrder(f);
    await new CreateShipments(f.deps).execute(orderId, callerTx());
    expect(f.uow.eventTypes()).toEqual([
      FulfilmentEventTypes.ShipmentCreated,
      FulfilmentEventTypes.ShipmentCreated,
    ]);
    expect(f.counted).toEqual(['created', 'created']);
  });

  it('keeps the shipments an order has already: a second delivery of OrderConfirmed creates none', async () => {
    const f = inMemoryFulfilment();
    const orderId = await confirmedOrder(f);
    const create = new CreateShipments(f.deps);
    const first = await create.execute(orderId, callerTx());
    const again = await create.execute(orderId, callerTx());
    expect(again.map((s) => s.id).sort()).toEqual(first.map((s) => s.id).sort());
    expect(f.repos.shipments.rows.size).toBe(2);
    expect(f.uow.events).toHaveLength(2);
  });

  it('creates none for an order cancelled before its shipments were created', async () => {
    const f = inMemoryFulfilment();
    const orderId = await confirmedOrder(f);
    await f.orders.facade.transition(orderId, 'CANCELLED', { actor: { kind: 'system' } }, callerTx());
    expect(await new CreateShipments(f.deps).execute(orderId, callerTx())).toEqual([]);
    expect(f.repos.shipments.rows.size).toBe(0);
  });

  it('throws for a confirmed order without an allocation (a broken invariant, parked after retries)', async () => {
    const f = inMemoryFulfilment();
    const orderId = await placed(f.orders, {}, ['PAYMENT_AUTHORIZED', 'CONFIRMED']);
    await expect(new CreateShipments(f.deps).execute(orderId, callerTx())).rejects.toThrow(
      'confirmed but holds no stock allocation',
    );
  });

  it('throws NotFound for an unknown order', async () => {
    const f = inMemoryFulfilment();
    await expect(
      new CreateShipments(f.deps).execute('3f6c1d2e-8a4b-4c5d-9e0f-1a2b3c4d5e6f', callerTx()),
    ).rejects.toBeInstanceOf(NotFoundError);
  });
});
