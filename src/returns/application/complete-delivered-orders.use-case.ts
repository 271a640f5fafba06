import { OPEN_RETURN_STATUSES } from '../domain/return.lifecycle.js';
import { lastDelivery, windowClosed } from '../domain/return-request.policy.js';
import type { ReturnsDeps } from './returns.deps.js';

const DAY_MS = 24 * 60 * 60 * 1000;
const BATCH = 500;

/**
 * The periodic task `returns.completion` (docs/product/api.md "Order statuses after delivery"): a
 * DELIVERED order whose return window has closed (last delivery + RETURN_WINDOW_DAYS ≤ now) with no
 * return open (REQUESTED, APPROVED, RECEIVED) → COMPLETED (orders publishes OrderCompleted). Each order
 * in its own transaction: the order locked, everything checked again there. A window of 0 completes
 * an order at the first tick after its delivery. Returns how many orders completed.
 */
export class CompleteDeliveredOrders {
  constructor(private readonly deps: ReturnsDeps) {}

  async execute(): Promise<number> {
    const { deps } = this;
    const now = deps.clock.now();
    const candidates = await deps.orders.idsInStatus(
      'DELIVERED',
      new Date(now.getTime() - deps.windowDays * DAY_MS + 1),
      BATCH,
    );
    let completed = 0;
    for (const orderId of candidates) {
      try {
        const done = await deps.uow.run(async ({ repos, tx }) => {
          const order = await deps.orders.get(orderId, tx);
          if (order?.status !== 'DELIVERED') return false;
          const shipments = (await deps.fulfilment.shipmentsOf([orderId], tx)).get(orderId) ?? [];
          if (!windowClosed(lastDelivery(shipments), deps.windowDays, deps.clock.now())) return false;
          const returns = await repos.returns.ofOrder(orderId);
          if (returns.some((r) => OPEN_RETURN_STATUSES.has(r.status))) return false;
          await deps.orders.transition(
            orderId,
            'COMPLETED',
            { actor: { kind: 'system' }, reason: 'return window closed' },
            tx,
          );
          return true;
        });
        if (done) completed += 1;
      } catch (err) {
        deps.logger.error(
          { orderId, err: err instanceof Error ? err.message : String(err) },
          'order completion failed; trying again on the next tick',
        );
      }
    }
    return completed;
  }
}
