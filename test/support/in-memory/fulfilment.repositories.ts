import type {
  FulfilmentRepos,
  ShipmentFilter,
  ShipmentPage,
  ShipmentPosition,
  ShipmentRepository,
} from '../../../src/fulfilment/application/shipment.repository.js';
import type { ShipmentSummary } from '../../../src/fulfilment/contract.js';
import { Shipment, type ShipmentProps } from '../../../src/fulfilment/domain/shipment.aggregate.js';
import { InMemoryVersionedRows, oldestFirst, pageOldestFirst } from './versioned-rows.js';

/**
 * The shipments repository in memory, for use-case unit tests: copies of the shipments' props (a change
 * is stored only when saved), a fresh aggregate on every read, a stale save refused, one shipment per
 * order and warehouse. `locks` records what was read for update.
 */
export class InMemoryShipmentRepository
  extends InMemoryVersionedRows<ShipmentProps, Shipment>
  implements ShipmentRepository
{
  constructor() {
    super('shipment', Shipment.restore, (r, s) => r.orderId === s.orderId && r.warehouseId === s.warehouseId);
  }

  async ofOrder(orderId: string, lock: boolean): Promise<Shipment[]> {
    if (lock) this.locks.push(`order:${orderId}`);
    return [...this.rows.values()]
      .filter((r) => r.orderId === orderId)
      .sort(oldestFirst)
      .map((r) => this.restore(r));
  }

  async page(filter: ShipmentFilter, limit: number, after: ShipmentPosition | null): Promise<ShipmentPage> {
    const page = pageOldestFirst(
      this.rows.values(),
      (r) =>
        (!filter.status || r.status === filter.status) && (!filter.orderId || r.orderId === filter.orderId),
      limit,
      after,
      (r) => this.restore(r),
    );
    return { shipments: page.items, next: page.next };
  }

  async summariesOf(orderIds: readonly string[]): Promise<Map<string, ShipmentSummary[]>> {
    const result = new Map<string, ShipmentSummary[]>();
    for (const r of [...this.rows.values()].sort(oldestFirst)) {
      if (!orderIds.includes(r.orderId)) continue;
      const list = result.get(r.orderId) ?? [];
      list.push({
        id: r.id,
        status: r.status,
        warehouseId: r.warehouseId,
        trackingNumber: r.trackingNumber,
        lines: r.lines.map((l) => ({ sku: l.sku, quantity: l.quantity })),
        deliveredAt: r.status === 'delivered' ? r.updatedAt : null,
      });
      result.set(r.orderId, list);
    }
    return result;
  }
}

/** The repositories of fulfilment in memory. */
export const inMemoryFulfilmentRepos = (): FulfilmentRepos & { shipments: InMemoryShipmentRepository } => ({
  shipments: new InMemoryShipmentRepository(),
});
