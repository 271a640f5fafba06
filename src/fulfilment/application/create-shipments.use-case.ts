import type { TransactionHandle } from '../../platform/db/unit-of-work.js';
import { NotFoundError } from '../../platform/errors.js';
import { newId } from '../../platform/ids.js';
import { Shipment, type ShipmentLine } from '../domain/shipment.aggregate.js';
import type { FulfilmentDeps } from './fulfilment.deps.js';

/**
 * Reaction to `OrderConfirmed` (docs/product/spec.md checkout step 6), inside the consumer's inbox transaction `tx`:
 * one `pending` shipment per warehouse of the order's stock allocation, each with its lines and
 * `ShipmentCreated`. The order row is locked first (the same lock order as staff steps: order, then
 * shipments), so a cancellation cannot slip in between; a cancelled order gets none. Idempotent
 * beyond the inbox: an order that has shipments keeps them. A confirmed order without an allocation
 * is a broken invariant: it throws, and after its retries the event is parked for a human.
 */
export class CreateShipments {
  constructor(private readonly deps: FulfilmentDeps) {}

  async execute(orderId: string, tx: TransactionHandle): Promise<Shipment[]> {
    const { deps } = this;
    const order = await deps.orders.get(orderId, tx);
    if (!order) throw new NotFoundError(`Order ${orderId}`);
    if (order.status === 'CANCELLED') {
      deps.logger.info({ orderId }, 'order was cancelled before its shipments were created; none created');
      return [];
    }
    return deps.uow.join(tx, async ({ repos, track }) => {
      const existing = await repos.shipments.ofOrder(orderId, false);
      if (existing.length > 0) return existing;
      const allocation = await deps.inventory.allocationOf(orderId, tx);
      if (allocation.length === 0) {
        throw new Error(`order ${order.number} is confirmed but holds no stock allocation to ship`);
      }
      const byWarehouse = new Map<string, ShipmentLine[]>();
      for (const line of allocation) {
        const lines = byWarehouse.get(line.warehouseId) ?? [];
        lines.push({ sku: line.sku, quantity: line.quantity });
        byWarehouse.set(line.warehouseId, lines);
      }
      const now = deps.clock.now();
      const created: Shipment[] = [];
      for (const warehouseId of [...byWarehouse.keys()].sort()) {
        const shipment = Shipment.create({
          id: newId(),
          orderId,
          orderNumber: order.number,
          warehouseId,
          lines: byWarehouse.get(warehouseId)!,
          now,
        });
        if (await repos.shipments.insert(shipment)) {
          track(shipment);
          created.push(shipment);
          deps.count('created', tx);
        }
      }
      return created;
    });
  }
}
