import type { OrderStatus } from '../contract.js';
import type { OrdersDeps } from './orders.deps.js';

/** For background workers: orders in `status` whose status last changed before `before`, oldest change first. */
export class FindOrderIdsInStatus {
  constructor(private readonly deps: OrdersDeps) {}

  /** At most `limit` ids (clamped to 1–1000). */
  execute(status: OrderStatus, before: Date, limit: number): Promise<string[]> {
    const n = Math.min(Math.max(Math.trunc(limit), 1), 1000);
    return this.deps.read.run(({ repos }) => repos.orders.idsInStatus(status, before, n));
  }
}
