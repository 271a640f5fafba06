import type { InventoryDeps } from './inventory.deps.js';
import { type ReleasedReservation, releaseLockedReservations } from './reservation-release.service.js';

/**
 * The expiry sweep: releases up to `limit` `reserved` reservations whose time ran out (reason
 * `expired`) in one transaction; safe with several sweepers (SKIP LOCKED). Confirmed reservations
 * never expire. Returns what it released.
 */
export class ReleaseExpiredReservations {
  constructor(private readonly deps: InventoryDeps) {}

  async execute(limit = 100): Promise<ReleasedReservation[]> {
    const released = await this.deps.uow.run(async (scope) => {
      const headers = await scope.repos.store.lockExpired(this.deps.clock.now(), limit);
      return releaseLockedReservations(this.deps, scope, headers, 'expired');
    });
    await this.deps.availabilityCache.invalidate(released.flatMap((r) => r.lines.map((l) => l.sku)));
    return released;
  }
}
