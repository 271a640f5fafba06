import type { TransactionHandle } from '../../platform/db/unit-of-work.js';
import { ConflictError } from '../../platform/errors.js';
import type { NewOrder, OrderActor, OrderSnapshot } from '../contract.js';
import { Order } from '../domain/order.aggregate.js';
import { formatOrderNumber } from '../domain/order-number.format.js';
import { toSnapshot } from './order-snapshot.mapper.js';
import type { OrdersDeps } from './orders.deps.js';

/**
 * Creates an order inside the caller's transaction (checkout's first step): the next region number,
 * the order CREATED → PAYMENT_PENDING with two history rows, `OrderPlaced` in the outbox — a sequence
 * value, one INSERT statement (order, lines, history) and the outbox INSERT, nothing per line. The same
 * id twice is 409 CONFLICT, without aborting the caller's transaction. Counted as placed once the
 * caller's transaction commits.
 */
export class CreateOrder {
  constructor(private readonly deps: OrdersDeps) {}

  execute(input: NewOrder, actor: OrderActor, tx: TransactionHandle): Promise<OrderSnapshot> {
    return this.deps.uow.join(tx, async ({ repos, track }) => {
      const number = formatOrderNumber(this.deps.regionCode, await repos.orders.nextNumber());
      const order = track(Order.place({ ...input, number }, actor, this.deps.clock.now()));
      // nothing was written; throwing also keeps its events out of the outbox
      if (!(await repos.orders.insert(order)))
        throw new ConflictError(`An order with the id ${input.id} exists already`);
      this.deps.afterCommit(tx, () => this.deps.count('placed'));
      return toSnapshot(order);
    });
  }
}
