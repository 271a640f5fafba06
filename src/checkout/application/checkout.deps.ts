import type { CartFacade } from '../../cart/contract.js';
import type { CatalogFacade } from '../../catalog/contract.js';
import type { FulfilmentFacade } from '../../fulfilment/contract.js';
import type { IdentityFacade } from '../../identity/contract.js';
import type { InventoryOrderFacade } from '../../inventory/contract.js';
import type { OrdersFacade } from '../../orders/contract.js';
import type { PaymentsFacade } from '../../payments/contract.js';
import type { Clock } from '../../platform/clock.js';
import type { TransactionHandle, UnitOfWork } from '../../platform/db/unit-of-work.js';
import type { PricingFacade } from '../../pricing/contract.js';

/** Logs the saga's own events (never personal data). */
export interface CheckoutLogger {
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
  error(obj: object, msg: string): void;
}

/** Counts checkout outcomes (metrics); a no-op in tests that do not care. */
export type CheckoutOutcomeCounter = (outcome: string) => void;

/**
 * What the checkout saga works with: the facades of the contexts it spans (through their
 * contract.ts only) and one transaction at a time (`uow`: a transaction whose handle every facade
 * joins; checkout owns no tables).
 */
export interface CheckoutDeps {
  uow: UnitOfWork<null>;
  clock: Clock;
  cart: CartFacade;
  catalog: CatalogFacade;
  pricing: PricingFacade;
  inventory: InventoryOrderFacade;
  orders: OrdersFacade;
  payments: PaymentsFacade;
  identity: IdentityFacade;
  /** the order's shipments: cancellation is refused once one left, and step 6 follows them */
  fulfilment: FulfilmentFacade;
  logger: CheckoutLogger;
  outcome: CheckoutOutcomeCounter;
  /** runs `fn` once `tx` committed, never when it rolls back (platform/db/after-commit.ts) */
  afterCommit: (tx: TransactionHandle, fn: () => void) => void;
}
