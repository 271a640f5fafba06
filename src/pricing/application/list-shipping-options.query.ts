import { money } from '../../platform/money.js';
import type { ShippingOption } from '../contract.js';
import type { PricingDeps } from './pricing.deps.js';

/** The region's shipping options with their prices in the region currency. */
export class ListShippingOptions {
  constructor(private readonly deps: Pick<PricingDeps, 'region'>) {}

  execute(): ShippingOption[] {
    const { region } = this.deps;
    return region.shippingOptions.map((o) => ({
      code: o.code,
      name: o.name,
      price: money(o.price, region.currency),
    }));
  }
}
