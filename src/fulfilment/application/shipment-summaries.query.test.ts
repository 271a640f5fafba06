import { describe, expect, it } from 'vitest';
import {
  callerTx,
  confirmedOrder,
  inMemoryFulfilment,
  WAREHOUSE_A,
  WAREHOUSE_B,
} from '../../../test/support/in-memory/fulfilment.deps.js';
import { CreateShipments } from './create-shipments.use-case.js';
import { ShipmentSummaries } from './shipment-summaries.query.js';

describe('ShipmentSummaries', () => {
  it('answers the shipments of each order asked for, as the order view shows them; orders without any are absent', async () => {
    const f = inMemoryFulfilment();
    const orderId = await confirmedOrder(f);
    const without = await confirmedOrder(f);
    const elsewhere = await confirmedOrder(f);
    await new CreateShipments(f.deps).execute(orderId, callerTx());
    await new CreateShipments(f.deps).execute(elsewhere, callerTx());
    const summaries = await new ShipmentSummaries(f.deps).execute([orderId, without]);
    expect([...summaries.keys()]).toEqual([orderId]);
    expect(
      summaries
        .get(orderId)!
        .map((s) => [s.warehouseId, s.status, s.trackingNumber])
        .sort(),
    ).toEqual([
      [WAREHOUSE_A, 'pending', null],
      [WAREHOUSE_B, 'pending', null],
    ]);
  });

  it('answers an empty map for no orders without reading', async () => {
    const f = inMemoryFulfilment();
    let reads = 0;
    const summariesOf = f.repos.shipments.summariesOf.bind(f.repos.shipments);
    f.repos.shipments.summariesOf = (ids) => {
      reads++;
      return summariesOf(ids);
    };
    expect((await new ShipmentSummaries(f.deps).execute([])).size).toBe(0);
    expect(reads).toBe(0);
  });
});
