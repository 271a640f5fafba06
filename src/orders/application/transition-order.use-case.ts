import type { TransactionHandle } from '../../platform/db/unit-of-work.js';
import type { OrderActor, OrderSnapshot, OrderStatus } from '../contract.js';
import { OrderNotFoundError } from '../domain/orders.errors.js';
import { toSnapshot } from './order-snapshot.mapper.js';
import type { CountedOrderEvent, OrdersDeps } from './orders.deps.js';

const COUNTED: Partial<Record<OrderStatus, CountedOrderEvent>> = {
  CONFIRMED: 'confirmed',
  CANCELLED: 'cancelled',
  SHIPPED: 'shipped',
  DELIVERED: 'delivered',
  COMPLETED: 'completed',
};

/**
 * Moves an order along the state machine inside the caller's transaction: the order row is locked
 * (FOR UPDATE, so concurrent moves of one order queue and each sees the previous one's result), the
 * move checked by the transition table (409 ILLEGAL_STATE_TRANSITION otherwise, staying put included),
 * the status written with one history row, and the status's event (EVENT_OF_STATUS) put in the outbox.
 * Unknown order: 404. Several statuses: each move in turn, one read and one write of the order.
 */
export class TransitionOrder {
  constructor(private readonly deps: OrdersDeps) {}

  execute(
    orderId: string,
    to: OrderStatus | readonly OrderStatus[],
    by: { actor: OrderActor; reason?: string },
    tx: TransactionHandle,
  ): Promise<OrderSnapshot> {
    const steps: readonly OrderStatus[] = typeof to === 'string' ? [to] : to;
    return this.deps.uow.join(tx, async ({ repos, track }) => {
      const found = this.deps.locked.take(tx, orderId) ?? (await repos.orders.findForUpdate(orderId));
      if (!found) throw new OrderNotFoundError();
      const order = track(found);
      const at = this.deps.clock.now();
      for (const status of steps) order.moveTo(status, by, at);
      await repos.orders.save(order);
      for (const status of steps) {
        const counted = COUNTED[status];
        if (counted) this.deps.afterCommit(tx, () => this.deps.count(counted));
      }
      return toSnapshot(order);
    });
  }
}
