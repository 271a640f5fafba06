import { NotFoundError } from '../../platform/errors.js';
import { assertPrice, Price } from '../domain/price.aggregate.js';
import type { PricingDeps } from './pricing.deps.js';

/**
 * Sets the list price of a SKU (created or changed). `PriceChanged` goes to the outbox in the same
 * transaction, only when the amount actually changes. Only for SKUs the SKU directory knows (404).
 */
export class SetPrice {
  constructor(private readonly deps: PricingDeps) {}

  async execute(sku: string, amount: number): Promise<Price> {
    assertPrice(sku, amount);
    if (!(await this.deps.skuDirectory().exists(sku))) throw new NotFoundError(`SKU ${sku}`);
    const { code: region, currency } = this.deps.region;
    return this.deps.uow.run(async ({ repos, track }) => {
      // At most two rounds: a concurrent first insert makes ours a no-op, then the row is there to lock.
      for (let round = 0; round < 2; round++) {
        const current = await repos.prices.findForUpdate(sku);
        if (current) {
          if (track(current).change(amount, this.deps.clock.now())) await repos.prices.update(current);
          return current;
        }
        const created = Price.create({ region, sku, amount, currency, now: this.deps.clock.now() });
        if (await repos.prices.insert(created)) return track(created);
      }
      throw new Error(`price of ${sku} could neither be inserted nor found`);
    });
  }
}
