import type { CatalogFacade } from '../../catalog/contract.js';
import type { FulfilmentFacade } from '../../fulfilment/contract.js';
import type { InventoryOrderFacade } from '../../inventory/contract.js';
import type { OrdersFacade } from '../../orders/contract.js';
import type { PaymentsFacade } from '../../payments/contract.js';
import type { Clock } from '../../platform/clock.js';
import type { KeyedSerializer } from '../../platform/db/keyed-serializer.js';
import type { TransactionHandle, UnitOfWork } from '../../platform/db/unit-of-work.js';
import type { Money } from '../../platform/money.js';
import type { PricingFacade } from '../../pricing/contract.js';
import type { ReturnStatus } from '../domain/return.lifecycle.js';
import type { ReturnsRepos } from './return.repository.js';

export interface ReturnsLogger {
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
  error(obj: object, msg: string): void;
}

/** Everything the returns use cases need, wired in returns.plugin.ts. */
export interface ReturnsDeps {
  /** writes: repositories on one transaction, the returns' domain events mapped to the outbox */
  uow: UnitOfWork<ReturnsRepos>;
  /** reads: on the caller's transaction when it holds one, else on the pool */
  read: UnitOfWork<ReturnsRepos>;
  clock: Clock;
  /**
   * one write per order (`order:<id>`, requests) or return (`return:<id>`, its moves) at a time in this
   * process: concurrent callers of one key wait in memory, not on its row lock holding pooled
   * connections (the row locks keep instances apart)
   */
  serial: KeyedSerializer;
  /** RETURN_WINDOW_DAYS: days after the last delivery during which units may be returned (0: none) */
  windowDays: number;
  /** the order (locked inside a transaction), the replacement order, completion */
  orders: Pick<OrdersFacade, 'get' | 'place' | 'transition' | 'idsInStatus'>;
  /** delivered units and delivery times */
  fulfilment: Pick<FulfilmentFacade, 'shipmentsOf'>;
  /** returned units back on hand or written off; the replacement's reservation */
  inventory: Pick<InventoryOrderFacade, 'receiveReturn' | 'reserve' | 'confirm'>;
  /** the refund of a receipt */
  payments: Pick<PaymentsFacade, 'requestRefund' | 'refundsOf' | 'settle'>;
  /** variants of the returned products (exchanges) */
  catalog: Pick<CatalogFacade, 'findVariants'>;
  /** list prices of exchange SKUs */
  pricing: Pick<PricingFacade, 'pricesFor'>;
  logger: ReturnsLogger;
  /** counts a status move once the transaction that made it committed (`returns_total{status,reason}`) */
  count: (status: ReturnStatus, reason: string, tx: TransactionHandle) => void;
  /** counts a refund that succeeded once its transaction committed (`returns_refunded_minor_total{currency}`) */
  refunded: (amount: Money, tx: TransactionHandle) => void;
  /** counts a refund asked for again (refused, or the payment was not captured yet) */
  retried: () => void;
}
