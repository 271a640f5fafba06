import { describe, expect, it } from 'vitest';
import {
  callerTx,
  confirmedOrder,
  inMemoryFulfilment,
} from '../../../test/support/in-memory/fulfilment.deps.js';
import { ShipmentNotFoundError } from '../domain/fulfilment.errors.js';
import { CreateShipments } from './create-shipments.use-case.js';
import { GetShipment } from './get-shipment.query.js';

describe('GetShipment', () => {
  it('shows one shipment as staff see it', async () => {
    const f = inMemoryFulfilment();
    const orderId = await confirmedOrder(f);
    const [s] = await new CreateShipments(f.deps).execute(orderId, callerTx());
    expect(await new GetShipment(f.deps).execute(s!.id)).toMatchObject({
      id: s!.id,
      orderId,
      status: 'pending',
      carrier: null,
      trackingNumber: null,
    });
  });

  it('answers 404 for an unknown shipment', async () => {
    const f = inMemoryFulfilment();
    await expect(
      new GetShipment(f.deps).execute('3f6c1d2e-8a4b-4c5d-9e0f-1a2b3c4d5e6f'),
    ).rejects.toBeInstanceOf(ShipmentNotFoundError);
  });
});
