import { readWithin, type TransactionHandle } from '../../platform/db/unit-of-work.js';
import { NotFoundError } from '../../platform/errors.js';
import { type Money, money } from '../../platform/money.js';
import { assertPrice, isSku, Price } from '../domain/price.aggregate.js';
import type { PricingDeps } from './pricing.deps.js';

/** The region's price list: one list price per SKU, in the region currency. */
export class PriceListUseCases {
  constructor(private readonly deps: PricingDeps) {}

  /**
   * Sets the list price of a SKU (created or changed). `PriceChanged` goes to the outbox in the same
   * transaction, only when the amount actually changes.
   */
  async setPrice(sku: string, amount: number): Promise<Price> {
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

  async getPrice(sku: string): Promise<Price> {
    const price = isSku(sku) ? await this.deps.read.run(({ repos }) => repos.prices.find(sku)) : null;
    if (!price) throw new NotFoundError(`A price for SKU ${sku}`);
    return price;
  }

  /** List prices of these SKUs; the ones without a price are absent. */
  /** On the caller's transaction when `tx` is given. */
  async pricesFor(skus: readonly string[], tx?: TransactionHandle): Promise<Map<string, Money>> {
    const wanted = [...new Set(skus)].filter(isSku);
    if (wanted.length === 0) return new Map();
    const prices = await readWithin(this.deps.read, tx, ({ repos }) => repos.prices.findMany(wanted));
    return new Map(prices.map((p) => [p.sku, money(p.amount, p.currency)]));
  }
}
