import { NotFoundError } from '../../platform/errors.js';
import { isSku, type Price } from '../domain/price.aggregate.js';
import type { PricingDeps } from './pricing.deps.js';

/** The list price of one SKU (404 when it has none, or is not a SKU). */
export class GetPrice {
  constructor(private readonly deps: Pick<PricingDeps, 'read'>) {}

  async execute(sku: string): Promise<Price> {
    const price = isSku(sku) ? await this.deps.read.run(({ repos }) => repos.prices.find(sku)) : null;
    if (!price) throw new NotFoundError(`A price for SKU ${sku}`);
    return price;
  }
}
