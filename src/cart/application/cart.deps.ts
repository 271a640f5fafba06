import type { Clock } from '../../platform/clock.js';
import type { UnitOfWork } from '../../platform/db/unit-of-work.js';
import type { CartPricing, StockCheck, VariantDirectory } from './cart.ports.js';
import type { CartRepos } from './cart.repositories.js';

/** Everything the cart use cases need, wired in cart.plugin.ts. */
export interface CartDeps {
  uow: UnitOfWork<CartRepos>;
  /** read-only access outside a transaction */
  read: UnitOfWork<CartRepos>;
  clock: Clock;
  /** the region currency carts are priced in */
  currency: string;
  /** how long a cart may sit untouched before it expires */
  idleTtlMs: number;
  variants: VariantDirectory;
  pricing: CartPricing;
  stock: StockCheck;
}
