import type { TransactionHandle } from '../../platform/db/unit-of-work.js';
import type { ProductEventV1 } from '../contract.js';
import type { CatalogDeps } from './catalog.deps.js';

export interface PriceChangedFact {
  sku: string;
  amount: number;
  currency: string;
  at: Date;
}

/**
 * What the catalog does when events arrive (through the inbox, so each runs once per event):
 * PriceChanged updates the price projection and invalidates the products it touches; the catalog's own
 * Product* events invalidate again on whichever instance consumes them (the writing instance already did
 * right after its commit) — the second line of defence for instances that missed the first.
 */
export class CatalogEventHandlers {
  constructor(private readonly deps: Pick<CatalogDeps, 'uow' | 'cache' | 'currency'>) {}

  async priceChanged(fact: PriceChangedFact, tx: TransactionHandle): Promise<void> {
    // a process serves one region: prices in other currencies are not ours to show
    if (fact.currency !== this.deps.currency) return;
    const affected = await this.deps.uow.join(tx, ({ repos }) => repos.prices.apply(fact));
    if (affected.length === 0) return;
    await this.deps.cache.productsChanged(
      affected.map((p) => ({ id: p.id, slugs: [p.slug] })),
      { listings: affected.some((p) => p.status === 'active') },
    );
  }

  async productChanged(data: ProductEventV1, created: boolean): Promise<void> {
    if (created) await this.deps.cache.listingsChanged();
    else
      await this.deps.cache.productsChanged([{ id: data.productId, slugs: [data.slug] }], { listings: true });
  }
}
