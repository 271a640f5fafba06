import type { TransactionHandle } from '../../platform/db/unit-of-work.js';
import type { Order } from '../domain/order.aggregate.js';

/**
 * Orders a transaction has locked (FOR UPDATE) and read, kept for that transaction's next move of the
 * same order: a saga step reads the order to decide, then moves it, and the move need not read it
 * again (checkout's step 3: two statements fewer). While the transaction holds the row lock nobody
 * else can change the order, so the aggregate is what the database holds; each entry is taken once,
 * so an aggregate a move has changed (saved or not) is never handed out again. The repository's
 * version check on save still guards the write.
 */
export class LockedOrders {
  private readonly byTx = new WeakMap<object, Map<string, Order>>();

  /** `inTransaction`: whether a handle is an open transaction (a lock outside one ends at once) */
  constructor(private readonly inTransaction: (tx: TransactionHandle) => boolean) {}

  remember(tx: TransactionHandle, order: Order): void {
    if (!this.inTransaction(tx)) return;
    const key = tx as unknown as object;
    const orders = this.byTx.get(key) ?? new Map<string, Order>();
    orders.set(order.id, order);
    this.byTx.set(key, orders);
  }

  /** The order as `tx` locked and read it, if it did and has not moved it since; forgets it. */
  take(tx: TransactionHandle, orderId: string): Order | undefined {
    const orders = this.byTx.get(tx as unknown as object);
    const order = orders?.get(orderId);
    orders?.delete(orderId);
    return order;
  }
}
