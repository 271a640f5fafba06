import { readWithin, type TransactionHandle } from '../../platform/db/unit-of-work.js';
import { type Money, money } from '../../platform/money.js';
import { isSku } from '../domain/price.aggregate.js';
import type { PricingDeps } from './pricing.deps.js';

/**
 * List prices of these SKUs; the ones without a price are absent. On the caller's transaction when
 * `tx` is given.
 */
export class GetPrices {
  constructor(private readonly deps: Pick<PricingDeps, 'read'>) {}

  async execute(skus: readonly string[], tx?: TransactionHandle): Promise<Map<string, Money>> {
    const wanted = [...new Set(skus)].filter(isSku);
    if (wanted.length === 0) return new Map();
    const prices = await readWithin(this.deps.read, tx, ({ repos }) => repos.prices.findMany(wanted));
    return new Map(prices.map((p) => [p.sku, money(p.amount, p.currency)]));
  }
}
