import type { TransactionHandle, UnitOfWorkScope } from '../../platform/db/unit-of-work.js';
import { isUuid } from '../../platform/ids.js';
import type { AllocatedLine } from '../contract.js';
import { isHeld } from '../domain/reservation.lifecycle.js';
import type { InventoryDeps } from './inventory.deps.js';
import type { InventoryRepos } from './inventory.repositories.js';
import { releaseLockedReservations } from './reservation-release.service.js';

/**
 * Releases what the order still holds (a `reserved` or `confirmed` reservation's unshipped lines);
 * InventoryReleased carries the reason (blank → `released`). Idempotent: an order that holds nothing
 * (none, released, shipped) gets `[]`. Runs inside `tx` when given.
 */
export class ReleaseReservation {
  constructor(private readonly deps: InventoryDeps) {}

  async execute(orderId: string, reason: string, tx?: TransactionHandle): Promise<AllocatedLine[]> {
    if (!isUuid(orderId)) return [];
    const why = reason.trim() || 'released';
    const work = async (scope: UnitOfWorkScope<InventoryRepos>): Promise<AllocatedLine[]> => {
      const header = await scope.repos.store.lockReservation(orderId);
      if (!header || !isHeld(header.status)) return [];
      const [released] = await releaseLockedReservations(this.deps, scope, [header], why);
      return released?.lines ?? [];
    };
    const lines = tx ? await this.deps.uow.join(tx, work) : await this.deps.uow.run(work);
    await this.deps.availabilityCache.invalidate(lines.map((l) => l.sku));
    return lines;
  }
}
