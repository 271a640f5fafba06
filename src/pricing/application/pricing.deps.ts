import type { Clock } from '../../platform/clock.js';
import type { UnitOfWork } from '../../platform/db/unit-of-work.js';
import type { TaxRules } from '../domain/pricing-engine.service.js';
import type { SkuDirectory } from './pricing.ports.js';
import type { PricingRepos } from './pricing.repositories.js';

/** The region the process serves, as pricing needs it. */
export interface PricingRegion {
  code: string;
  currency: string;
  tax: TaxRules;
  shippingOptions: readonly { code: string; name: string; price: number }[];
}

/** Everything the pricing use cases need, wired in pricing.plugin.ts. */
export interface PricingDeps {
  uow: UnitOfWork<PricingRepos>;
  /** read-only access outside a transaction */
  read: UnitOfWork<PricingRepos>;
  clock: Clock;
  region: PricingRegion;
  skuDirectory: () => SkuDirectory;
}
