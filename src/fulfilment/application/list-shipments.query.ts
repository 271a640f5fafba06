import type { FulfilmentDeps } from './fulfilment.deps.js';
import type { ShipmentFilter, ShipmentPosition } from './shipment.repository.js';
import { type ShipmentView, toShipmentView } from './shipment.view.js';

export interface ShipmentViewPage {
  items: ShipmentView[];
  next: ShipmentPosition | null;
}

/** The staff listing (`GET /api/v1/admin/shipments`): oldest first, filtered, keyset-paginated. */
export class ListShipments {
  constructor(private readonly deps: FulfilmentDeps) {}

  async execute(
    filter: ShipmentFilter,
    limit: number,
    after: ShipmentPosition | null,
  ): Promise<ShipmentViewPage> {
    const page = await this.deps.read.run(({ repos }) => repos.shipments.page(filter, limit, after));
    return { items: page.shipments.map(toShipmentView), next: page.next };
  }
}
