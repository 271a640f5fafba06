import type { Clock } from '../../platform/clock.js';
import type { TransactionHandle, UnitOfWork } from '../../platform/db/unit-of-work.js';
import type { OrderViewSources } from '../contract.js';
import type { LockedOrders } from './locked-orders.cache.js';
import type { OrderRepos } from './order.repository.js';

/** What the orders metrics count: placed orders, and moves into the statuses that have an event. */
export type CountedOrderEvent = 'placed' | 'confirmed' | 'cancelled' | 'shipped' | 'delivered' | 'completed';

/** Everything the orders use cases and queries need, wired in orders.plugin.ts. */
export interface OrdersDeps {
  /** writes: repositories on the caller's transaction, domain events mapped to the outbox */
  uow: UnitOfWork<OrderRepos>;
  /** reads: on the caller's transaction when it holds one, else on the pool */
  read: UnitOfWork<OrderRepos>;
  clock: Clock;
  /** the region code order numbers start with (`eu` → `EU-000123`) */
  regionCode: string;
  /** payments and shipments for the order views (default: none) */
  views: OrderViewSources;
  /** runs `fn` once `tx` committed, never when it rolls back (platform/db/after-commit.ts) */
  afterCommit: (tx: TransactionHandle, fn: () => void) => void;
  /** counts an order event in the metrics */
  count: (event: CountedOrderEvent) => void;
  /** orders a transaction locked and read, for its next move of them (locked-orders.cache.ts) */
  locked: LockedOrders;
}
