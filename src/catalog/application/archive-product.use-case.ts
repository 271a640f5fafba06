import type { Id } from '../../platform/ids.js';
import { ProductNotFoundError } from '../domain/catalog.errors.js';
import type { CatalogDeps } from './catalog.deps.js';

/**
 * Archives a product (staff). Idempotent: archiving an archived product changes nothing, writes no
 * second event and succeeds. After the commit the search index catches up and the product's cached
 * answers are invalidated, and the listings when it was active.
 */
export class ArchiveProduct {
  constructor(private readonly deps: Pick<CatalogDeps, 'uow' | 'search' | 'cache' | 'clock'>) {}

  async execute(id: Id): Promise<void> {
    await this.deps.uow.run(async ({ repos, track, tx, afterCommit }) => {
      const product = await repos.products.findByIdForUpdate(id);
      if (!product) throw new ProductNotFoundError();
      const wasActive = product.isActive;
      if (!product.archive(this.deps.clock.now())) return;
      await repos.products.update(track(product));
      await this.deps.search.index([product.id], tx);
      afterCommit(async () => {
        await this.deps.search.refresh?.();
        await this.deps.cache.productsChanged([{ id, slugs: [product.slug] }], { listings: wasActive });
      });
    });
  }
}
