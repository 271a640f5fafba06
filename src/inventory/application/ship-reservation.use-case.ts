import type { TransactionHandle, UnitOfWorkScope } from '../../platform/db/unit-of-work.js';
import { ConflictError } from '../../platform/errors.js';
import type { AllocatedLine } from '../contract.js';
import { bySkuAndWarehouse, reservationMovements } from '../domain/inventory.rules.js';
import { reservationStates } from '../domain/reservation.lifecycle.js';
import type { InventoryDeps } from './inventory.deps.js';
import type { InventoryRepos } from './inventory.repositories.js';

/**
 * A shipment of the order left `warehouseId` (checkout calls this, in its inbox transaction, when
 * fulfilment reports ShipmentDispatched): the order's reserved units there are taken off on hand and
 * reserved, with a `shipment` movement per line and `StockAdjusted` (negative delta, reason
 * `shipment`); once no line is left in any warehouse the reservation moves to `shipped`. Idempotent:
 * lines that shipped already are skipped, so a redelivered dispatch changes nothing. An order that holds
 * no reservation, or whose reservation was released, cannot ship (409: the caller retries, then parks
 * the event for a human). Available (on hand − reserved) does not change: the browsing cache stays right.
 */
export class ShipReservation {
  constructor(private readonly deps: Pick<InventoryDeps, 'uow' | 'clock' | 'events'>) {}

  async execute(orderId: string, warehouseId: string, tx?: TransactionHandle): Promise<AllocatedLine[]> {
    const work = async (scope: UnitOfWorkScope<InventoryRepos>): Promise<AllocatedLine[]> => {
      const { store } = scope.repos;
      const header = await store.lockReservation(orderId);
      if (!header || header.status === 'released') {
        throw new ConflictError(`Order ${orderId} holds no reservation to ship from`);
      }
      const unshipped = await store.reservationLines(orderId, 'unshipped');
      const lines = unshipped.filter((l) => l.warehouseId === warehouseId).sort(bySkuAndWarehouse);
      if (lines.length === 0) return [];
      await store.lockLevels(
        lines.map((l) => l.sku),
        [warehouseId],
      );
      const now = this.deps.clock.now();
      const written = await store.consumeReserved(lines, now);
      if (written.length !== lines.length) {
        // the reservation's units are counted in reserved; a row without them is corrupt, never half-ship
        throw new Error(`stock rows of order ${orderId} in ${warehouseId} do not hold its reserved units`);
      }
      await store.appendMovements(
        reservationMovements('shipment', orderId, 'shipment', lines, written, now, -1),
      );
      await store.markLinesShipped(orderId, warehouseId, now);
      // every line gone (the header is locked, so no other warehouse ships meanwhile): the reservation
      // is done — it holds nothing any more, and nothing releases it
      if (unshipped.every((l) => l.warehouseId === warehouseId)) {
        await store.setReservationStatus([orderId], reservationStates.transition(header.status, 'shipped'));
      }
      for (const level of written) {
        const { quantity } = lines.find((l) => l.sku === level.sku)!;
        scope.emit(
          this.deps.events.stockAdjusted({
            sku: level.sku,
            warehouseId,
            delta: -quantity,
            onHand: level.onHand,
            reason: 'shipment',
          }),
        );
      }
      return lines;
    };
    return tx ? this.deps.uow.join(tx, work) : this.deps.uow.run(work);
  }
}
