import { ShipmentNotFoundError } from '../domain/fulfilment.errors.js';
import type { FulfilmentDeps } from './fulfilment.deps.js';
import { type ShipmentView, toShipmentView } from './shipment.view.js';

/** One shipment as staff see it (`GET /api/v1/admin/shipments/:id`); 404 when unknown. */
export class GetShipment {
  constructor(private readonly deps: FulfilmentDeps) {}

  async execute(shipmentId: string): Promise<ShipmentView> {
    const shipment = await this.deps.read.run(({ repos }) => repos.shipments.find(shipmentId));
    if (!shipment) throw new ShipmentNotFoundError();
    return toShipmentView(shipment);
  }
}
