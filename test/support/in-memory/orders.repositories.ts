import type {
  OrderFilter,
  OrderPage,
  OrderPosition,
  OrderRepos,
  OrderRepository,
} from '../../../src/orders/application/order.repository.js';
import { Order, type OrderProps } from '../../../src/orders/domain/order.aggregate.js';
import type { OrderStatus } from '../../../src/orders/domain/order.lifecycle.js';
import { InMemoryVersionedRows } from './versioned-rows.js';

/** Newest first: `(createdAt, id)` descending, as the SQL listing orders them. */
const newestFirst = (a: OrderProps, b: OrderProps): number =>
  b.createdAt.getTime() - a.createdAt.getTime() || (b.id < a.id ? -1 : b.id > a.id ? 1 : 0);

/**
 * The orders repository in memory, for use-case unit tests: it keeps copies of the orders' props (a
 * change to an aggregate is stored only when saved, like a row), hands out fresh aggregates on every
 * read, and refuses a save of a stale copy as the SQL one does. `locks` records the ids read for update.
 */
export class InMemoryOrderRepository
  extends InMemoryVersionedRows<OrderProps, Order>
  implements OrderRepository
{
  constructor() {
    super('order', Order.restore);
  }

  /** erasedAt of erased orders */
  readonly erased = new Map<string, Date>();
  private sequence = 0;

  async nextNumber(): Promise<number> {
    this.sequence += 1;
    return this.sequence;
  }

  async page(filter: OrderFilter, limit: number, after: OrderPosition | null): Promise<OrderPage> {
    const matching = [...this.rows.values()]
      .filter(
        (o) =>
          (!filter.status || o.status === filter.status) &&
          (!filter.customerId || o.customerId === filter.customerId) &&
          (!filter.from || o.createdAt >= filter.from) &&
          (!filter.to || o.createdAt < filter.to) &&
          (!after ||
            o.createdAt < after.createdAt ||
            (o.createdAt.getTime() === after.createdAt.getTime() && o.id < after.id)),
      )
      .sort(newestFirst);
    const orders = matching.slice(0, limit).map((o) => this.restore(o));
    const last = orders.at(-1)?.snapshot();
    return {
      orders,
      next: matching.length > limit && last ? { createdAt: last.createdAt, id: last.id } : null,
    };
  }

  async idsInStatus(status: OrderStatus, before: Date, limit: number): Promise<string[]> {
    return [...this.rows.values()]
      .filter((o) => o.status === status && o.statusChangedAt < before)
      .sort((a, b) => a.statusChangedAt.getTime() - b.statusChangedAt.getTime() || (a.id < b.id ? -1 : 1))
      .slice(0, limit)
      .map((o) => o.id);
  }

  async idsOfCart(cartId: string): Promise<string[]> {
    return [...this.rows.values()]
      .filter((o) => o.cartId === cartId)
      .sort(newestFirst)
      .reverse()
      .map((o) => o.id);
  }

  async listOfCustomer(customerId: string): Promise<Order[]> {
    return [...this.rows.values()]
      .filter((o) => o.customerId === customerId)
      .sort(newestFirst)
      .map((o) => this.restore(o));
  }

  async eraseCustomer(customerId: string, now: Date): Promise<number> {
    let changed = 0;
    for (const o of this.rows.values()) {
      if (o.customerId !== customerId || this.erased.has(o.id)) continue;
      this.rows.set(o.id, {
        ...o,
        email: null,
        shippingAddress: null,
        updatedAt: now,
        version: o.version + 1,
      });
      this.erased.set(o.id, now);
      changed += 1;
    }
    return changed;
  }
}

/** The repositories of orders in memory. */
export const inMemoryOrderRepos = (): OrderRepos & { orders: InMemoryOrderRepository } => ({
  orders: new InMemoryOrderRepository(),
});
