import type { UnitOfWorkScope } from '../../platform/db/unit-of-work.js';
import {
  type AllocatedQuantity,
  bySkuAndWarehouse,
  reservationMovements,
} from '../domain/inventory.rules.js';
import { reservationStates } from '../domain/reservation.lifecycle.js';
import type { InventoryDeps } from './inventory.deps.js';
import type { InventoryRepos, ReservationHeader } from './inventory.repositories.js';

export interface ReleasedReservation {
  orderId: string;
  lines: AllocatedQuantity[];
}

/**
 * Releases reservations whose headers this transaction has locked (a release, the expiry sweep): what
 * they still hold — their unshipped lines; what left a warehouse is not held any more — goes back to
 * available, with a `release` movement per line and InventoryReleased per order, and each header
 * moves to `released` along the lifecycle (a reservation that cannot be released is refused before
 * anything is written).
 */
export const releaseLockedReservations = async (
  deps: Pick<InventoryDeps, 'clock' | 'events'>,
  scope: UnitOfWorkScope<InventoryRepos>,
  headers: readonly ReservationHeader[],
  reason: string,
): Promise<ReleasedReservation[]> => {
  if (headers.length === 0) return [];
  const { store } = scope.repos;
  // each header moves along the lifecycle (refused before anything is written); all land in `released`
  const [released = 'released'] = new Set(
    headers.map((h) => reservationStates.transition(h.status, 'released')),
  );
  const linesByOrder = new Map<string, AllocatedQuantity[]>();
  for (const h of headers) linesByOrder.set(h.orderId, await store.reservationLines(h.orderId, 'unshipped'));
  const all = [...linesByOrder.values()].flat();
  // every stock row any of them touches, locked once, in the one stable order
  await store.lockLevels([...new Set(all.map((l) => l.sku))], [...new Set(all.map((l) => l.warehouseId))]);
  const now = deps.clock.now();
  const result: ReleasedReservation[] = [];
  for (const [orderId, lines] of linesByOrder) {
    const sorted = [...lines].sort(bySkuAndWarehouse);
    const written = sorted.length > 0 ? await store.subtractReserved(sorted, now) : [];
    await store.appendMovements(reservationMovements('release', orderId, reason, sorted, written, now, -1));
    scope.emit(deps.events.released(orderId, sorted, reason));
    result.push({ orderId, lines: sorted });
  }
  await store.setReservationStatus(
    headers.map((h) => h.orderId),
    released,
    { reason, at: now },
  );
  return result;
};
