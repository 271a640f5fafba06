import { readWithin, type TransactionHandle } from '../../platform/db/unit-of-work.js';
import type { ShipmentSummary } from '../contract.js';
import { ShipmentNotFoundError } from '../domain/fulfilment.errors.js';
import type { FulfilmentDeps } from './fulfilment.deps.js';
import type { ShipmentFilter, ShipmentPosition } from './shipment.repository.js';
import { type ShipmentView, toShipmentView } from './shipment.view.js';

export interface ShipmentViewPage {
  items: ShipmentView[];
  next: ShipmentPosition | null;
}

/** The read side of fulfilment: the staff listing, one shipment, and the summaries the order views show. */
export class ShipmentQueries {
  constructor(private readonly deps: FulfilmentDeps) {}

  async list(
    filter: ShipmentFilter,
    limit: number,
    after: ShipmentPosition | null,
  ): Promise<ShipmentViewPage> {
    const page = await this.deps.read.run(({ repos }) => repos.shipments.page(filter, limit, after));
    return { items: page.shipments.map(toShipmentView), next: page.next };
  }

  async one(shipmentId: string): Promise<ShipmentView> {
    const shipment = await this.deps.read.run(({ repos }) => repos.shipments.find(shipmentId));
    if (!shipment) throw new ShipmentNotFoundError();
    return toShipmentView(shipment);
  }

  summariesOf(orderIds: readonly string[], tx?: TransactionHandle): Promise<Map<string, ShipmentSummary[]>> {
    if (orderIds.length === 0) return Promise.resolve(new Map());
    return readWithin(this.deps.read, tx, ({ repos }) => repos.shipments.summariesOf(orderIds));
  }
}
