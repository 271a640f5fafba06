import { describe, expect, it } from 'vitest';
import {
  callerTx,
  confirmedOrder,
  inMemoryFulfilment,
} from '../../../test/support/in-memory/fulfilment.deps.js';
import { FulfilmentEventTypes } from '../contract.js';
import { CancelShipments } from './cancel-shipments.use-case.js';
import { CreateShipments } from './create-shipments.use-case.js';

const staff = { kind: 'staff' as const, id: '8e7d6c5b-4a39-4281-9f0e-1d2c3b4a5968' };

describe('CancelShipments', () => {
  it('cancels every shipment still in the warehouse with the order’s reason and ShipmentCancelled', async () => {
    const f = inMemoryFulfilment();
    const orderId = await confirmedOrder(f);
    const [a] = await new CreateShipments(f.deps).execute(orderId, callerTx());
    // one picked, one pending: both are still in the warehouse
    const picked = (await f.repos.shipments.find(a!.id))!;
    picked.advance('picked', staff, f.orders.clock.now());
    await f.repos.shipments.save(picked);
    f.uow.events.length = 0;
    f.counted.length = 0;
    const cancelled = await new CancelShipments(f.deps).execute(orderId, 'customer request', callerTx());
    expect(cancelled).toHaveLength(2);
    for (const row of f.repos.shipments.rows.values()) {
      expect(row.status).toBe('cancelled');
      expect(row.history.at(-1)).toMatchObject({
        status: 'cancelled',
        reason: 'customer request',
        actor: { kind: 'system' },
      });
    }
    expect(f.uow.eventTypes()).toEqual([
      FulfilmentEventTypes.ShipmentCancelled,
      FulfilmentEventTypes.ShipmentCancelled,
    ]);
    expect(f.counted).toEqual(['cancelled', 'cancelled']);
  });

  it('says "order cancelled" when the event gives no reason', async () => {
    const f = inMemoryFulfilment();
    const orderId = await confirmedOrder(f);
    await new CreateShipments(f.deps).execute(orderId, callerTx());
    await new CancelShipments(f.deps).execute(orderId, undefined, callerTx());
    expect([...f.repos.shipments.rows.values()][0]!.history.at(-1)?.reason).toBe('order cancelled');
  });

  it('keeps a shipment that already left the warehouse, and logs it as an error', async () => {
    const f = inMemoryFulfilment();
    const orderId = await confirmedOrder(f);
    const [a] = await new CreateShipments(f.deps).execute(orderId, callerTx());
    const s = (await f.repos.shipments.find(a!.id))!;
    const now = f.orders.clock.now();
    s.advance('picked', staff, now);
    s.advance('packed', staff, now);
    s.dispatch({ carrier: 'scripted', trackingNumber: 'TRK-1' }, staff, now);
    await f.repos.shipments.save(s);
    const cancelled = await new CancelShipments(f.deps).execute(orderId, 'late', callerTx());
    expect(cancelled.map((c) => c.id)).not.toContain(a!.id);
    expect(f.repos.shipments.rows.get(a!.id)!.status).toBe('dispatched');
    expect(f.logged).toContain('error: a cancelled order has a shipment that left the warehouse; it is kept');
  });

  it('changes nothing when the event is delivered again', async () => {
    const f = inMemoryFulfilment();
    const orderId = await confirmedOrder(f);
    await new CreateShipments(f.deps).execute(orderId, callerTx());
    const cancel = new CancelShipments(f.deps);
    await cancel.execute(orderId, 'x', callerTx());
    const events = f.uow.events.length;
    expect(await cancel.execute(orderId, 'x', callerTx())).toEqual([]);
    expect(f.uow.events).toHaveLength(events);
  });

  it('locks the order’s shipments before it cancels them', async () => {
    const f = inMemoryFulfilment();
    const orderId = await confirmedOrder(f);
    await new CreateShipments(f.deps).execute(orderId, callerTx());
    await new CancelShipments(f.deps).execute(orderId, 'x', callerTx());
    expect(f.repos.shipments.locks).toEqual([`order:${orderId}`]);
  });
});
