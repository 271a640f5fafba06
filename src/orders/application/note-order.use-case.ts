import type { TransactionHandle } from '../../platform/db/unit-of-work.js';
import type { OrderActor, OrderSnapshot } from '../contract.js';
import { OrderNotFoundError } from '../domain/orders.errors.js';
import { toSnapshot } from './order-snapshot.mapper.js';
import type { OrdersDeps } from './orders.deps.js';

/**
 * Adds a note to an order inside the caller's transaction (order row locked) — not a history entry, the
 * history holds moves only; unknown order: 404.
 */
export class NoteOrder {
  constructor(private readonly deps: OrdersDeps) {}

  execute(
    orderId: string,
    by: { actor: OrderActor; reason: string },
    tx: TransactionHandle,
  ): Promise<OrderSnapshot> {
    return this.deps.uow.join(tx, async ({ repos }) => {
      const order = this.deps.locked.take(tx, orderId) ?? (await repos.orders.findForUpdate(orderId));
      if (!order) throw new OrderNotFoundError();
      if (order.note(by, this.deps.clock.now())) await repos.orders.save(order);
      return toSnapshot(order);
    });
  }
}
